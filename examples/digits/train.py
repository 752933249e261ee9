#!/usr/bin/python3
"""Trains the demo model: a small CNN on scikit-learn's 8x8 handwritten
digits (1797 images, shipped by python3-sklearn), and exports it to ONNX.

    /usr/bin/python3 examples/digits/train.py   # writes digits.onnx, digits_test.bin

digits_test.bin holds the held-back test set for the demo program:
int32 count, then count x (64 float32 pixels in [0,1], int32 label).
Deterministic: fixed seeds, single thread.
"""
import os
import struct

import numpy as np
import torch
from sklearn.datasets import load_digits
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
torch.manual_seed(0)
torch.set_num_threads(1)
np.random.seed(0)

digits = load_digits()
x = (digits.images / 16.0).astype(np.float32)[:, None]  # N,1,8,8
y = digits.target.astype(np.int64)
perm = np.random.permutation(len(x))
test_idx, train_idx = perm[:360], perm[360:]

model = nn.Sequential(
    nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
    nn.MaxPool2d(2),                       # 16x4x4
    nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(),
    nn.AdaptiveAvgPool2d(1), nn.Flatten(),  # 32
    nn.Linear(32, 10),
)
opt = torch.optim.Adam(model.parameters(), lr=0.01)
xt, yt = torch.from_numpy(x[train_idx]), torch.from_numpy(y[train_idx])
for epoch in range(60):
    model.train()
    for i in range(0, len(xt), 64):
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(xt[i:i + 64]), yt[i:i + 64])
        loss.backward()
        opt.step()
model.eval()
with torch.no_grad():
    pred = model(torch.from_numpy(x[test_idx])).argmax(1).numpy()
print("train.py: test accuracy %.4f on %d digits" % ((pred == y[test_idx]).mean(), len(test_idx)))

# Softmax at the end so the demo prints probabilities.
export = nn.Sequential(model, nn.Softmax(dim=1))
torch.onnx.export(export, torch.zeros(1, 1, 8, 8), os.path.join(HERE, "digits.onnx"),
                  input_names=["image"], output_names=["probabilities"], opset_version=13)
with open(os.path.join(HERE, "digits_test.bin"), "wb") as f:
    f.write(struct.pack("<i", len(test_idx)))
    for i in test_idx:
        f.write(x[i].astype("<f4").tobytes())
        f.write(struct.pack("<i", int(y[i])))
