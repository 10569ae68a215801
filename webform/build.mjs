// Builds ODK Web Forms into static/vendor/odk-webform/ (run by `make setup`, offline after npm ci).
//
//   odk-webform.js   the engine, Vue and PrimeVue in one minified ES module (sets window.LongdanWebForm
//                    and fires `longdan-webform-ready`; load it with <script type=module>);
//                    the engine's own CSS, Roboto fonts (Vietnamese subset included) and the
//                    XPath parser's WebAssembly are inlined in it as data: URLs by ODK's build
//   odk-webform.css  Lòng Dân's adjustments to ODK's look (webform/overrides.css)
//   LICENSES.txt     the bundled packages and their licences (from their package.json files)
//
// The few English words ODK's interface shows (its application translations are not published
// yet) are replaced by Vietnamese at build time from webform/ui-vi.mjs, and the one address the
// engine would fetch from the internet (OpenStreetMap tiles behind map widgets) is removed: the
// office runs on an intranet and a respondent's browser must not call out. A patch that no longer
// matches the package fails the build, so an upgrade cannot silently undo either.
import { build } from 'esbuild';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UI_VI } from './ui-vi.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'static', 'vendor', 'odk-webform');
const webFormsDir = join(root, 'node_modules', '@getodk', 'web-forms');
const { version } = JSON.parse(await readFile(join(webFormsDir, 'package.json'), 'utf8'));

// Map widgets (geopoint/geotrace/geoshape with a map appearance) get no background tiles.
const NO_INTERNET = [
  ['"https://tile.openstreetmap.org/{z}/{x}/{y}.png"', '"data:,"'],
];
const PATCHES = [...UI_VI, ...NO_INTERNET];
const found = new Map(PATCHES.map(([from]) => [from, 0]));

/** Apply PATCHES to the package's dist files. */
const patchWebForms = {
  name: 'longdan-patch-web-forms',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /[\\/]@getodk[\\/]web-forms[\\/]dist[\\/].*\.js$/ }, async (args) => {
      let contents = await readFile(args.path, 'utf8');
      for (const [from, to] of PATCHES) {
        const parts = contents.split(from);
        found.set(from, found.get(from) + parts.length - 1);
        contents = parts.join(to);
      }
      return { contents, loader: 'js' };
    });
  },
};

await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });

const result = await build({
  absWorkingDir: root,
  entryPoints: { 'odk-webform': 'webform/entry.js', 'odk-webform-overrides': 'webform/overrides.css' },
  outdir,
  bundle: true,
  format: 'esm', // ODK's engine awaits at top level (its XPath parser's WebAssembly)
  minify: true,
  target: ['chrome100', 'firefox100', 'safari16'],
  legalComments: 'none',
  charset: 'utf8',
  logLevel: 'warning',
  metafile: true,
  define: {
    __ODK_WEB_FORMS_VERSION__: JSON.stringify(version),
    'process.env.NODE_ENV': '"production"',
    __VUE_OPTIONS_API__: 'true',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
  },
  plugins: [patchWebForms],
});

const missing = [...found].filter(([, count]) => count === 0).map(([from]) => from);
if (missing.length) {
  throw new Error(`webform patches not found in @getodk/web-forms ${version}: ${missing.join(' | ')}`);
}

// esbuild names the CSS entry after its source; one predictable name for the template.
const css = await readFile(join(outdir, 'odk-webform-overrides.css'), 'utf8');
await writeFile(join(outdir, 'odk-webform.css'), css);
await rm(join(outdir, 'odk-webform-overrides.css'));

const packages = Object.keys(result.metafile.inputs)
  .map((input) => input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//)?.[1])
  .filter(Boolean);
const lines = [];
for (const name of [...new Set(packages)].sort()) {
  const meta = JSON.parse(await readFile(join(root, 'node_modules', name, 'package.json'), 'utf8'));
  lines.push(`${name} ${meta.version}: ${meta.license ?? 'see the package'}`);
}
await writeFile(join(outdir, 'LICENSES.txt'), `Bundled in odk-webform.js:\n${lines.join('\n')}\n`);
console.log(`odk-webform: @getodk/web-forms ${version} built into ${outdir}`);
