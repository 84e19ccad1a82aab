// Bundles a benchmark (bench/embed-forward.ts by default) into one ESM file for the GPU machine
// (which has no node_modules): Dawn's dawn.node stays a separate file, loaded from beside the
// bundle, and onnxruntime-node stays a package (native binaries).
// Usage: node scripts/gpu/bundle.mjs <out-dir> [entry]
import fs from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const outDir = path.resolve(process.argv[2] ?? path.join(root, '.gpu'))
const entry = path.resolve(root, process.argv[3] ?? 'bench/embed-forward.ts')
const outFile = path.join(outDir, `${path.basename(entry, '.ts')}.mjs`)

// The `webgpu` package finds dawn.node under its own dist/<platform>-<arch>/; in the bundle
// its __dirname is the bundle's folder, so point it at ./dawn.node there. Its other code (the
// buffer-unmap patch on GPUDevice.destroy) is kept as is.
const DAWN_PATH = /const dawnNodePath = [^;]+;/
const dawnBesideBundle = {
  name: 'dawn-beside-bundle',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]webgpu[\\/]index\.js$/ }, async (args) => {
      const source = await fs.readFile(args.path, 'utf8')
      if (!DAWN_PATH.test(source)) {
        throw new Error(`${args.path}: no 'const dawnNodePath = …;' line to redirect`)
      }
      const contents = source.replace(
        DAWN_PATH,
        "const dawnNodePath = join(__dirname, 'dawn.node');",
      )
      return { contents, loader: 'js' }
    })
  },
}

await build({
  entryPoints: [entry],
  outfile: outFile,
  bundle: true,
  platform: 'node',
  format: 'esm', // the benchmark uses top-level await
  target: 'node20',
  // CommonJS dependencies (emscripten's loader in tfjs-backend-wasm among them) use require,
  // __filename and __dirname, which ESM output lacks.
  banner: {
    js: [
      "import { createRequire as kindredCreateRequire } from 'node:module'",
      "import { fileURLToPath as kindredFileURLToPath } from 'node:url'",
      'const require = kindredCreateRequire(import.meta.url)',
      'const __filename = kindredFileURLToPath(import.meta.url)',
      "const __dirname = __filename.slice(0, __filename.lastIndexOf('/'))",
    ].join(';\n'),
  },
  // Optional backends the benchmark never selects on the GPU machine.
  // onnxruntime-node: a native package, carried beside the bundle as node_modules.
  external: ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'onnxruntime-node'],
  plugins: [dawnBesideBundle],
  logLevel: 'warning',
})
console.log(`bundled ${path.relative(root, outFile)}`)
