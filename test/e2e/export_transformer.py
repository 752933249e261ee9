#!/usr/bin/python3
"""Exports a small BERT-like encoder (token embedding + 2 nn.TransformerEncoder
layers, d_model 64, 4 heads, seq 16; random weights, seed 0, each layer
re-initialised) to ONNX opset 13, and fixed token ids:
export_transformer.py OUTDIR. Exercises the exporter's Shape/Gather/Concat
shape arithmetic, attention, LayerNorm as primitives and GELU-free FFN."""
import os
import sys

import numpy as np
import torch
from torch import nn

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
torch.manual_seed(0)


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(1000, 64)
        layer = nn.TransformerEncoderLayer(64, 4, 128, batch_first=True)
        self.enc = nn.TransformerEncoder(layer, 2)
        for l in self.enc.layers:  # TransformerEncoder deep-copies its layer
            for p in l.parameters():
                if p.dim() > 1:
                    nn.init.xavier_uniform_(p)

    def forward(self, ids):
        return self.enc(self.emb(ids))


model = Encoder().eval()
ids = torch.randint(0, 1000, (1, 16))
# torch 1.13 cannot export the fused fast path under no_grad: keep grad on.
torch.onnx.export(model, ids, os.path.join(out, "model.onnx"), input_names=["input"],
                  output_names=["output"], opset_version=13)
np.save(os.path.join(out, "input.npy"), ids.numpy())
