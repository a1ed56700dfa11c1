import ArgumentParser

/// Range checks for numeric options: a value outside its range (NaN and infinities included) is a usage
/// error (exit 64) that names the flag and the accepted range, never a trap further on.
public enum OptionRange {
    /// Throws unless `value` lies in `range`.
    public static func check<Value: Comparable>(
        _ value: Value, in range: ClosedRange<Value>, flag: String, unit: String = ""
    )
        throws
    {
        guard range.contains(value) else {
            throw ValidationError("\(flag) must be \(range.lowerBound) to \(range.upperBound)\(unit) (got \(value)).")
        }
    }
}
