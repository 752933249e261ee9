#!/usr/bin/python3
"""Exports torchvision's resnet18 (random weights, seed 0, BatchNorm
statistics calibrated on random batches so activations stay in range) to
ONNX opset 13, and a fixed random input: export_resnet18.py OUTDIR."""
import os
import sys

import numpy as np
import torch
import torchvision

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
torch.manual_seed(0)
model = torchvision.models.resnet18()
model.train()
with torch.no_grad():
    for _ in range(4):  # calibrate BatchNorm running statistics
        model(torch.randn(8, 3, 224, 224))
model.eval()
x = torch.randn(1, 3, 224, 224)
torch.onnx.export(model, x, os.path.join(out, "model.onnx"), input_names=["input"],
                  output_names=["output"], opset_version=13)
np.save(os.path.join(out, "input.npy"), x.numpy())
