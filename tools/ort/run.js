// Runs a model with ONNX Runtime (CPU) on .npy inputs and writes .npy outputs:
//   node tools/ort/run.js model.onnx OUT_DIR name=input.npy ...
'use strict';
const path = require('path');
const ort = require('onnxruntime-node');
const { readNpy, writeNpy } = require('./npy');

async function main() {
  const [model, outDir, ...specs] = process.argv.slice(2);
  const session = await ort.InferenceSession.create(model, {
    graphOptimizationLevel: 'all', intraOpNumThreads: 1, interOpNumThreads: 1,
  });
  const feeds = {};
  for (const spec of specs) {
    const i = spec.indexOf('=');
    const a = readNpy(spec.slice(i + 1));
    feeds[spec.slice(0, i)] = new ort.Tensor(a.type, a.data, a.shape);
  }
  const results = await session.run(feeds);
  for (const name of session.outputNames) {
    const t = results[name];
    const file = path.join(outDir, name.replace(/[^A-Za-z0-9.-]/g, '_') + '.npy');
    writeNpy(file, t.type, t.dims, t.data);
    console.log(`${name} -> ${file}`);
  }
}
main().catch((e) => { console.error(`ort run.js: ${e.message}`); process.exit(1); });
