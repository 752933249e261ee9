// Runs the digits demo model in ONNX Runtime on the same test set and
// compares with the probabilities the onnxc-compiled demo wrote:
//   node tools/ort/compare-digits.js digits.onnx digits_test.bin probs.bin
'use strict';
const fs = require('fs');
const ort = require('onnxruntime-node');

async function main() {
  const [model, testSet, probsFile] = process.argv.slice(2);
  const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1 });
  const buf = fs.readFileSync(testSet);
  const count = buf.readInt32LE(0);
  const onnxc = new Float32Array(fs.readFileSync(probsFile).buffer.slice(0));
  let correct = 0, agree = 0, maxDiff = 0;
  for (let i = 0; i < count; ++i) {
    const off = 4 + i * (64 * 4 + 4);
    const image = new Float32Array(buf.buffer.slice(buf.byteOffset + off, buf.byteOffset + off + 256));
    const label = buf.readInt32LE(off + 256);
    const out = await session.run({ image: new ort.Tensor('float32', image, [1, 1, 8, 8]) });
    const p = out[session.outputNames[0]].data;
    let best = 0, bestC = 0;
    for (let k = 0; k < 10; ++k) {
      if (p[k] > p[best]) best = k;
      if (onnxc[i * 10 + k] > onnxc[i * 10 + bestC]) bestC = k;
      maxDiff = Math.max(maxDiff, Math.abs(p[k] - onnxc[i * 10 + k]));
    }
    correct += best === label;
    agree += best === bestC;
  }
  console.log(`onnxruntime: ${correct}/${count} correct, accuracy ${(100 * correct / count).toFixed(2)}%`);
  console.log(`onnxc vs onnxruntime: same prediction on ${agree}/${count} digits, ` +
              `max |probability difference| ${maxDiff.toExponential(2)}`);
  if (agree !== count || maxDiff > 1e-4) process.exit(1);
}
main().catch((e) => { console.error(`compare-digits.js: ${e.message}`); process.exit(1); });
