#!/usr/bin/python3
"""Exports a torch module that upsamples and downsamples with nearest,
bilinear (both align_corners) and bicubic interpolation to ONNX opset 13
(Resize with constant scales or sizes): export_resize.py OUTDIR ->
model.onnx, input.npy (seed 0)."""
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


class Resizes(torch.nn.Module):
    def forward(self, x):
        parts = [
            F.interpolate(x, scale_factor=2, mode="nearest"),
            F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False),
            F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=True),
            F.interpolate(x, size=(9, 13), mode="bicubic", align_corners=False),
            F.interpolate(x, size=(5, 3), mode="bilinear", align_corners=False),
        ]
        return torch.cat([p.flatten() for p in parts])


torch.manual_seed(0)
x = torch.randn(1, 3, 6, 7)
torch.onnx.export(Resizes().eval(), x, os.path.join(out, "model.onnx"), input_names=["input"],
                  output_names=["output"], opset_version=13)
np.save(os.path.join(out, "input.npy"), x.numpy())
