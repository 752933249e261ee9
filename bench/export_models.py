#!/usr/bin/python3
"""Exports the benchmark models (random weights, fixed seed, opset 13) with a
fixed random input each, and their FLOP counts:

    export_models.py OUTDIR [MODEL ...]

OUTDIR/NAME/model.onnx, OUTDIR/NAME/input.npy and OUTDIR/NAME/flops (2 x the
multiply-adds of Conv/ConvTranspose/Gemm/MatMul, from ONNX shape inference).
Models: resnet18 resnet50 mobilenet_v2 squeezenet1_1 bert mlp identity."""
import os
import sys

import numpy as np
import onnx
import torch
import torchvision
from onnx import numpy_helper, shape_inference
from torch import nn

ALL = ["resnet18", "resnet50", "mobilenet_v2", "squeezenet1_1", "bert", "mlp", "identity"]


def calibrated(model, shape):
    # Random-weight CNNs need BatchNorm statistics from data, or activations
    # explode or vanish and output comparisons mean little.
    model.train()
    with torch.no_grad():
        for _ in range(3):
            model(torch.randn(*shape))
    return model.eval()


class Encoder(nn.Module):
    """BERT-like: token embedding + 4 TransformerEncoder layers, d 256, 4 heads."""

    def __init__(self, layers=4, d=256, heads=4, ffn=1024, vocab=30522):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        layer = nn.TransformerEncoderLayer(d, heads, ffn, batch_first=True)
        self.enc = nn.TransformerEncoder(layer, layers)
        for l in self.enc.layers:  # TransformerEncoder deep-copies its layer
            for p in l.parameters():
                if p.dim() > 1:
                    nn.init.xavier_uniform_(p)

    def forward(self, ids):
        return self.enc(self.emb(ids))


class Identity(nn.Module):
    def forward(self, x):
        return x + 0  # a graph with one node: measures the per-call floor


def build(name):
    torch.manual_seed(0)
    if name in ("resnet18", "resnet50", "mobilenet_v2", "squeezenet1_1"):
        m = calibrated(getattr(torchvision.models, name)(), (4, 3, 224, 224))
        return m, torch.randn(1, 3, 224, 224)
    if name == "bert":
        return Encoder().eval(), torch.randint(0, 30522, (1, 128))
    if name == "mlp":
        m = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU(),
                          nn.Linear(256, 10)).eval()
        return m, torch.randn(1, 784)
    if name == "identity":
        return Identity(), torch.randn(1, 16)
    raise SystemExit(f"export_models.py: unknown model {name}")


def flops(path):
    model = shape_inference.infer_shapes(onnx.load(path))
    g = model.graph
    shapes = {}
    for vi in list(g.value_info) + list(g.input) + list(g.output):
        shapes[vi.name] = [d.dim_value for d in vi.type.tensor_type.shape.dim]
    for init in g.initializer:
        shapes[init.name] = list(init.dims)
    total = 0
    for n in g.node:
        out = shapes.get(n.output[0])
        if n.op_type in ("Conv", "ConvTranspose") and out:
            w = shapes[n.input[1]]
            # Conv: each output element takes C/group x K multiply-adds.
            per = int(np.prod(w[1:]))
            total += 2 * int(np.prod(out)) * per if n.op_type == "Conv" else \
                2 * int(np.prod(shapes[n.input[0]])) * int(np.prod(w[1:]))
        elif n.op_type in ("Gemm", "MatMul") and out:
            a = shapes[n.input[0]]
            k = a[-1] if not (n.op_type == "Gemm" and any(
                at.name == "transA" and at.i for at in n.attribute)) else a[0]
            total += 2 * int(np.prod(out)) * k
    return total


def main():
    out = sys.argv[1]
    for name in sys.argv[2:] or ALL:
        d = os.path.join(out, name)
        os.makedirs(d, exist_ok=True)
        model, x = build(name)
        path = os.path.join(d, "model.onnx")
        # torch 1.13 cannot export the fused TransformerEncoder fast path
        # under no_grad: export with grad enabled.
        torch.onnx.export(model, x, path, input_names=["input"], output_names=["output"],
                          opset_version=13)
        np.save(os.path.join(d, "input.npy"), x.numpy())
        with open(os.path.join(d, "flops"), "w") as f:
            f.write(f"{flops(path)}\n")
        print(f"exported {name}: {path}")


if __name__ == "__main__":
    main()
