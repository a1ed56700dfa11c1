extension Duration {
    /// The duration in seconds, as logs and stage timings report it.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
