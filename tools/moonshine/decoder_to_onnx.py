"""Re-saves Moonshine's merged decoder from ONNX Runtime's ORT format as an ONNX model.

The ORT-format decoder holds its weights in 8 bits with the graph that turns them back to floats, and ONNX Runtime,
which never optimises an ORT-format graph again, runs that graph on every token: most of a token's time. Loaded as
ONNX, the same graph has its constant parts folded once when the session is made, and each token decodes about four
times as fast with the same results (benchmarks/RESULTS.md, section 21).

ONNX Runtime writes the graph back out (basic optimisations only, so nothing specific to this CPU), but leaves
the `If` node's two branches without the names ONNX requires; onnx names them. The file written is the same on
every run, so the install script checks it against a pinned sum.

Usage: decoder_to_onnx.py ORT_DECODER ONNX_DECODER
"""

import sys
import tempfile

import onnx
import onnxruntime


def name_subgraphs(graph: onnx.GraphProto, prefix: str) -> None:
    """Gives every unnamed subgraph under `graph` a name made from the node and attribute holding it."""
    for node in graph.node:
        for attribute in node.attribute:
            if attribute.type == onnx.AttributeProto.GRAPH:
                if not attribute.g.name:
                    attribute.g.name = f"{prefix}{node.name}/{attribute.name}"
                name_subgraphs(attribute.g, attribute.g.name + "/")


def main(source: str, target: str) -> None:
    with tempfile.NamedTemporaryFile(suffix=".onnx") as written:
        options = onnxruntime.SessionOptions()
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_BASIC
        options.optimized_model_filepath = written.name
        onnxruntime.InferenceSession(source, options, providers=["CPUExecutionProvider"])
        model = onnx.load(written.name)
    if not model.graph.name:
        model.graph.name = "decoder"
    name_subgraphs(model.graph, "")
    onnx.checker.check_model(model)
    onnx.save(model, target)


if __name__ == "__main__":
    main(*sys.argv[1:])
