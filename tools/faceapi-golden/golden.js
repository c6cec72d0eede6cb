#!/usr/bin/env node
// Golden outputs from face-api 1.7.15 itself, for TinyReID's parity tests (issue 4).
//
// Picks face images from an LFW folder deterministically, decodes them (jpeg-js), cuts crops of
// varied size and aspect (square, odd and even padding, the full 250x250 image), saves each crop
// as an 8-bit RGB PNG (lossless, so Java reads exactly the pixels face-api saw), and runs
// face-api's FaceRecognitionNet (128-d descriptor) and FaceLandmark68Net (68 points) on it with
// the pure-JS tfjs "cpu" backend (or "wasm"), offline. Writes OUT/crops/*.png and OUT/golden.json.
//
// usage: node golden.js --lfw DIR --out DIR [--count 24] [--backend cpu|wasm]
'use strict';

const fs = require('fs');
const path = require('path');
const jpeg = require('jpeg-js');
const { PNG } = require('pngjs');
const tf = require('@tensorflow/tfjs');
require('@tensorflow/tfjs-backend-wasm');
const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');

function parseArgs(argv) {
  const args = { count: 24, backend: 'cpu' };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (!['lfw', 'out', 'count', 'backend'].includes(key) || i + 1 >= argv.length) {
      throw new Error(`bad argument '${argv[i]}'; usage: node golden.js --lfw DIR --out DIR [--count N] [--backend cpu|wasm]`);
    }
    args[key] = key === 'count' ? Number(argv[i + 1]) : argv[i + 1];
  }
  if (!args.lfw || !args.out) throw new Error('--lfw and --out are required');
  return args;
}

function listImages(root) {
  const people = fs.readdirSync(root).filter((d) => fs.statSync(path.join(root, d)).isDirectory()).sort();
  const files = [];
  for (const p of people) {
    for (const f of fs.readdirSync(path.join(root, p)).filter((n) => n.endsWith('.jpg')).sort()) {
      files.push(path.join(p, f));
    }
  }
  return files;
}

// Crop geometry for the k-th image: a spread of sizes around the LFW deep-funneled face, including
// odd width/height differences (face-api pads the odd pixel bottom/right) and the whole image.
function cropFor(k, width, height) {
  if (k % 6 === 0) return { x: 0, y: 0, w: width, h: height };
  const w = 96 + ((k * 37) % 61);
  const h = 96 + ((k * 53) % 67);
  const x = Math.floor((width - w) / 2) + ((k * 7) % 11) - 5;
  const y = Math.floor((height - h) / 2) + ((k * 5) % 13) - 6;
  return { x, y, w, h };
}

function cropRgb(img, c) {
  const out = new Uint8Array(c.w * c.h * 3);
  for (let y = 0; y < c.h; y++) {
    for (let x = 0; x < c.w; x++) {
      const s = ((c.y + y) * img.width + (c.x + x)) * 4;
      const d = (y * c.w + x) * 3;
      out[d] = img.data[s];
      out[d + 1] = img.data[s + 1];
      out[d + 2] = img.data[s + 2];
    }
  }
  return out;
}

function writePng(file, rgb, w, h) {
  const png = new PNG({ width: w, height: h, colorType: 2, inputColorType: 2, inputHasAlpha: false, bitDepth: 8 });
  png.data = Buffer.from(rgb);
  fs.writeFileSync(file, PNG.sync.write(png, { colorType: 2, inputColorType: 2, inputHasAlpha: false }));
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  await tf.setBackend(args.backend);
  await tf.ready();
  const modelDir = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
  await faceapi.nets.faceRecognitionNet.loadFromDisk(modelDir);
  await faceapi.nets.faceLandmark68Net.loadFromDisk(modelDir);

  const all = listImages(args.lfw);
  if (all.length < args.count) throw new Error(`only ${all.length} images under ${args.lfw}`);
  const stride = Math.floor(all.length / args.count);
  fs.mkdirSync(path.join(args.out, 'crops'), { recursive: true });

  const results = [];
  for (let k = 0; k < args.count; k++) {
    const rel = all[k * stride];
    const img = jpeg.decode(fs.readFileSync(path.join(args.lfw, rel)), { useTArray: true, formatAsRGBA: true });
    const c = cropFor(k, img.width, img.height);
    const rgb = cropRgb(img, c);
    const name = `${String(k).padStart(2, '0')}-${path.basename(rel, '.jpg')}.png`;
    writePng(path.join(args.out, 'crops', name), rgb, c.w, c.h);

    const input = tf.tensor3d(Int32Array.from(rgb), [c.h, c.w, 3], 'int32');
    const descriptor = await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(input);
    const landmarks = await faceapi.nets.faceLandmark68Net.detectLandmarks(input);
    tf.dispose(input);
    results.push({
      file: `crops/${name}`,
      source: rel,
      width: c.w,
      height: c.h,
      descriptor: Array.from(descriptor),
      landmarks: landmarks.positions.map((p) => [p.x, p.y]),
    });
    process.stderr.write(`golden ${k + 1}/${args.count} ${name}\n`);
  }
  const golden = {
    faceApi: faceapi.version,
    tfjs: tf.version.tfjs,
    backend: tf.getBackend(),
    images: results,
  };
  fs.writeFileSync(path.join(args.out, 'golden.json'), JSON.stringify(golden, null, 1));
  process.stderr.write(`wrote ${results.length} golden descriptors and landmark sets to ${args.out}\n`);
}

main().catch((e) => {
  process.stderr.write(`faceapi-golden: ${e.message}\n`);
  process.exit(1);
});
