// Times onnxc-compiled models against ONNX Runtime, alternating in one run:
//   node bench/bench.js DIR --models a,b --threads 1,2 [--runs 50] [--warmup 5]
// DIR/NAME holds model.onnx, input.npy, flops and runner (bench/runner.c built
// against libNAME.a). Per model and thread count: warm-up, then rounds of
// (5 ORT runs, 5 onnxc runs) until each has --runs samples; outputs must agree
// (max |onnxc - ORT| <= 1e-3 * max |ORT| + 1e-5). Prints a Markdown table.
// Both engines spin their idle worker threads for a while after a run; each
// batch therefore starts after a 20 ms pause and one untimed run, so that
// neither is timed while the other's spinning workers hold a core.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');
const readline = require('readline');
const ort = require(path.join(__dirname, '../tools/ort/node_modules/onnxruntime-node'));
const { readNpy } = require('../tools/ort/npy');

function parseArgs(argv) {
  const a = { dir: argv[0], models: [], threads: [1], runs: 50, warmup: 5 };
  for (let i = 1; i < argv.length; i += 2) {
    const v = argv[i + 1];
    if (argv[i] === '--models') a.models = v.split(',');
    else if (argv[i] === '--threads') a.threads = v.split(',').map(Number);
    else if (argv[i] === '--runs') a.runs = Number(v);
    else if (argv[i] === '--warmup') a.warmup = Number(v);
    else throw new Error(`unknown option ${argv[i]}`);
  }
  return a;
}

// A child process running bench/runner.c; one command in flight at a time.
class Runner {
  constructor(exe, inputs, threads) {
    this.proc = spawn(exe, inputs, {
      stdio: ['pipe', 'pipe', 'inherit'],
      env: { ...process.env, ONNXC_NUM_THREADS: String(threads) },
    });
    this.lines = readline.createInterface({ input: this.proc.stdout })[Symbol.asyncIterator]();
  }
  async command(cmd) {
    this.proc.stdin.write(cmd + '\n');
    const { value, done } = await this.lines.next();
    if (done) throw new Error(`runner exited during "${cmd}"`);
    return value;
  }
  async run(k) { return (await this.command(`run ${k}`)).split(' ').map((s) => Number(s) / 1e6); }
  close() { this.proc.stdin.end('quit\n'); }
}

function stats(ms) {
  const s = [...ms].sort((x, y) => x - y);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: q(0.5), p90: q(0.9) };
}

function maxError(got, ref) {
  let diff = 0, scale = 0;
  for (let i = 0; i < ref.length; ++i) {
    diff = Math.max(diff, Math.abs(Number(got[i]) - Number(ref[i])));
    scale = Math.max(scale, Math.abs(Number(ref[i])));
  }
  return { diff, ok: diff <= 1e-3 * scale + 1e-5 };
}

async function benchOne(args, name, threads) {
  const dir = path.join(args.dir, name);
  const input = readNpy(path.join(dir, 'input.npy'));
  const session = await ort.InferenceSession.create(path.join(dir, 'model.onnx'), {
    graphOptimizationLevel: 'all', intraOpNumThreads: threads, interOpNumThreads: 1,
    executionMode: 'sequential',
  });
  const feeds = { [session.inputNames[0]]: new ort.Tensor(input.type, input.data, input.shape) };
  const runner = new Runner(path.join(dir, 'runner'), [path.join(dir, 'input.npy')], threads);
  const ortTimes = [], onnxcTimes = [];
  const timeOrt = async (k, into) => {
    for (let i = 0; i < k; ++i) {
      const t0 = process.hrtime.bigint();
      await session.run(feeds);
      into.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  };
  await timeOrt(args.warmup, []);
  await runner.run(args.warmup);
  const batch = 5;
  const pause = () => new Promise((resolve) => setTimeout(resolve, 20));
  while (onnxcTimes.length < args.runs) {
    await pause();
    await timeOrt(1, []);
    await timeOrt(batch, ortTimes);
    await pause();
    await runner.run(1);
    onnxcTimes.push(...(await runner.run(batch)));
  }
  // Correctness: the outputs of the last runs, compared element-wise.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'onnxc-bench-'));
  await runner.command(`save ${tmp}`);
  runner.close();
  const ref = (await session.run(feeds))[session.outputNames[0]];
  const got = readNpy(path.join(tmp, 'output_0.npy'));
  fs.rmSync(tmp, { recursive: true });
  const err = maxError(got.data, ref.data);
  const flops = Number(fs.readFileSync(path.join(dir, 'flops'), 'utf8'));
  const o = stats(onnxcTimes), r = stats(ortTimes);
  return { name, threads, onnxc: o, ort: r, ratio: o.median / r.median, flops, err };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const fmt = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x >= 0.01 ? x.toFixed(3) : x.toFixed(4));
  console.log('| model | threads | onnxc median ms (p90) | ORT median ms (p90) | onnxc/ORT | ' +
              'onnxc GFLOP/s | ORT GFLOP/s | max abs diff |');
  console.log('|---|---|---|---|---|---|---|---|');
  let failed = 0;
  for (const name of args.models) {
    for (const threads of args.threads) {
      const r = await benchOne(args, name, threads);
      const gf = (ms) => (r.flops ? (r.flops / ms / 1e6).toFixed(1) : '-');
      console.log(`| ${name} | ${threads} | ${fmt(r.onnxc.median)} (${fmt(r.onnxc.p90)}) | ` +
                  `${fmt(r.ort.median)} (${fmt(r.ort.p90)}) | ${r.ratio.toFixed(2)} | ` +
                  `${gf(r.onnxc.median)} | ${gf(r.ort.median)} | ` +
                  `${r.err.diff.toExponential(1)}${r.err.ok ? '' : ' MISMATCH'} |`);
      if (!r.err.ok) failed++;
    }
  }
  if (failed) {
    console.error(`bench.js: ${failed} row(s) disagree with ONNX Runtime`);
    process.exit(1);
  }
}
main().catch((e) => { console.error(`bench.js: ${e.stack}`); process.exit(1); });
