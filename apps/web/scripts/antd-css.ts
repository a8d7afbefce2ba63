/**
 * antd's component styles, generated at build time for our theme (antd runs with `theme.zeroRuntime`: it compiles
 * no component CSS in the browser, which cost phones most of the first render).
 *
 * Each antd style module (antd/es/<component>/style/*.js: genStyleHooks & co.) that enters a build is rewritten:
 * it imports `virtual:antd-css/<that module>` (its CSS as strings, by component and prefixCls), and the hooks it
 * makes insert that CSS the first time they run. So every chunk carries the CSS of the components it holds, and a
 * page inserts only what it renders, as antd's run-time styles did. The style functions themselves are dropped
 * (zeroRuntime never calls them), which takes antd's style code out of the bundle.
 *
 * The CSS goes into <style> elements at the start of <head> (from JS, not as .css files, which Vite would append
 * after the app's): as with antd's run-time styles, the app's stylesheets come after them and win ties of
 * specificity whatever chunk loads first; sub-styles (order -998: Button compact, Modal confirm…) stay after the
 * component styles. Reduced motion needs nothing here: the CSS reads durations from the theme's CSS variables,
 * which antd still writes at run time (motion: false makes them 0s).
 *
 * The CSS comes from server-rendering every antd component with the theme (zeroRuntime off) into a
 * @ant-design/cssinjs cache and splitting the cache by component. It is cached in node_modules/.cache, keyed by the
 * antd version, the theme and this file: a cold build spends ~2 s on it, later ones (and the second app) nothing.
 * `vite` (dev) pre-bundles antd, so no style module passes through the plugin: the dev server inserts all of it.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ThemeConfig } from 'antd';
import type { Plugin } from 'vite';

const require = createRequire(import.meta.url);
const VIRTUAL = 'virtual:antd-css/';
const RESOLVED = '\0antd-css:';
const INJECT = 'inject';

/** CSS as [priority, text] parts (cssinjs' `order`: -999 components, -998 sub-styles such as Button compact). */
type Parts = [number, string][];
/** A style module's CSS by the cssinjs key of each of its hooks ('Button-Button') and the prefixCls it ran with. */
type ModuleCss = Record<string, Record<string, Parts>>;
interface Generated {
  base: string;
  modules: Record<string, ModuleCss>;
}

const antdEs = path.join(path.dirname(require.resolve('antd/package.json')), 'es');

/** Style modules (paths under antd/es, without .js) → the cssinjs component keys their hooks register. */
function styleModules(): Map<string, string[]> {
  const files = ['_util/wave/style.js'];
  for (const dir of fs.readdirSync(antdEs)) {
    const style = path.join(antdEs, dir, 'style');
    if (!fs.existsSync(style)) continue;
    for (const f of fs.readdirSync(style)) if (f.endsWith('.js')) files.push(`${dir}/style/${f}`);
  }
  const call =
    /gen(?:StyleHooks|ComponentStyleHook|SubStyleComponent)\(\s*(?:'(\w+)'|\[\s*'(\w+)'\s*,\s*'(\w+)'\s*\])/g;
  const map = new Map<string, string[]>();
  for (const file of files) {
    const text = fs.readFileSync(path.join(antdEs, file), 'utf8');
    // cssinjs-utils keys a hook by its name parts joined with '-' ('Button' → 'Button-Button').
    const keys = [...text.matchAll(call)].map((m) => (m[1] ? `${m[1]}-${m[1]}` : `${m[2]}-${m[3]}`));
    if (keys.length) map.set(file.replace(/\.js$/, ''), keys);
  }
  return map;
}

/** Renders every antd component once (as @ant-design/static-style-extract does, plus the sub-components). */
function renderAll(theme: ThemeConfig) {
  // CommonJS builds throughout: one copy of antd, React and cssinjs (their contexts must be the same objects).
  const React = require('react');
  const { renderToString } = require('react-dom/server');
  const antd = require('antd');
  const { StyleProvider, createCache } = require('@ant-design/cssinjs');
  const h = React.createElement;
  // biome-ignore lint/suspicious/noExplicitAny: antd's CommonJS build, loaded untyped
  const custom: Record<string, (C: any) => unknown> = {
    Affix: (C) => h(C, null, h('div')),
    BackTop: () => h(antd.FloatButton.BackTop),
    Cascader: (C) => [h(C), h(C.Panel)],
    Dropdown: (C) => h(C, { menu: { items: [] } }, h('div')),
    Menu: (C) => h(C, { items: [] }),
    QRCode: (C) => h(C, { value: 'https://ant.design' }),
    Tree: (C) => h(C, { treeData: [] }),
    Tag: (C) => [h(C, { color: 'blue' }, 'Tag'), h(C, { color: 'success' }, 'Tag')],
    Badge: (C) => [h(C), h(C.Ribbon)],
    Space: (C) => [h(C), h(C.Compact, null, h(antd.Button), h(C.Addon, null, '1'))],
    Input: (C) => [h(C), h(C.Group, null, h(C), h(C)), h(C.Search), h(C.TextArea), h(C.Password), h(C.OTP)],
    Modal: (C) => [
      h(C),
      h(C._InternalPanelDoNotUseOrYouWillBeFired),
      h(C._InternalPanelDoNotUseOrYouWillBeFired, { type: 'confirm' }),
    ],
    message: (C) => h(C._InternalPanelDoNotUseOrYouWillBeFired),
    notification: (C) => h(C._InternalPanelDoNotUseOrYouWillBeFired),
    Layout: (C) => h(C, null, h(C.Header), h(C.Sider), h(C.Content), h(C.Footer)),
    Pagination: (C) => [h(C, { total: 50 }), h(C, { total: 50, simple: true })],
    Form: (C) => h(C, null, h(C.Item, { label: 'x' }, h(antd.Input))),
  };
  const nodes = Object.keys(antd)
    .filter((n) => !['ConfigProvider', 'Grid'].includes(n) && (/^[A-Z]/.test(n) || n in custom))
    .map((n) => h(React.Fragment, { key: n }, custom[n] ? custom[n](antd[n]) : h(antd[n])));
  const cache = createCache();
  renderToString(h(StyleProvider, { cache }, h(antd.ConfigProvider, { theme }, h(antd.Row), h(antd.Col), ...nodes)));
  return cache as {
    cache: Map<string, [number, [string, string, Record<string, string>, boolean, number]]>;
    updateTimes: Map<string, number>;
  };
}

function generate(theme: ThemeConfig): Generated {
  const console_ = { error: console.error, warn: console.warn };
  // The renders' development warnings (deprecated List, empty children…) are noise here.
  console.error = console.warn = () => {};
  let cache: ReturnType<typeof renderAll>;
  try {
    cache = renderAll({ ...theme, zeroRuntime: false });
  } finally {
    Object.assign(console, console_);
  }
  const { extract } = require('@ant-design/cssinjs/lib/hooks/useStyleRegister');
  const byKey = new Map<string, { prefix: string; order: number; at: number; css: string }[]>();
  const keyframes = new Map<string, string>();
  let shared = '';
  for (const [key, [, value]] of cache.cache) {
    // 'style%<hashId>%<Component-Part>%<prefixCls>%<iconPrefixCls>'; hashed: false → an empty hashId.
    const [kind, , component, prefix = ''] = key.split('%');
    if (kind !== 'style' || component === 'ant-design-icons') continue; // antd still inserts that one itself
    const [styleStr, id, effects, clientOnly, order] = value;
    if (clientOnly) continue;
    const [, , css] = extract([styleStr, id, undefined, false, order], {}, { plain: true });
    for (const name of Object.keys(effects ?? {}))
      if (!keyframes.has(name))
        keyframes.set(name, extract(['', id, { [name]: effects[name] }, false, order], {}, { plain: true })[2]);
    if (component === 'Shared') shared += css;
    else {
      const list = byKey.get(component!) ?? [];
      list.push({ prefix, order, at: cache.updateTimes.get(key) ?? 0, css });
      byKey.set(component!, list);
    }
  }
  const modules: Record<string, ModuleCss> = {};
  for (const [file, keys] of styleModules()) {
    const table: ModuleCss = {};
    for (const key of keys) {
      const entries = (byKey.get(key) ?? []).sort((a, b) => a.order - b.order || a.at - b.at);
      for (const e of entries) {
        const byPrefix = table[key] ?? {};
        table[key] = byPrefix;
        const parts = byPrefix[e.prefix] ?? [];
        byPrefix[e.prefix] = parts;
        const last = parts.at(-1);
        if (last && last[0] === e.order) last[1] += e.css;
        else parts.push([e.order, e.css]);
      }
    }
    if (Object.keys(table).length) modules[file] = table;
  }
  // @ant-design/icons inserts its .anticon rules itself unless zeroRuntime.
  const { iconStyles } = require('@ant-design/icons/es/utils');
  const icons = (iconStyles as string).replace(/\s*\n\s*/g, '');
  // The motion keyframes are shared by many components (zoom, slide, fade…): all in the base, once.
  return { base: shared + icons + [...keyframes.values()].join(''), modules };
}

function cached(theme: ThemeConfig): Generated {
  const versions = ['antd', '@ant-design/cssinjs', '@ant-design/cssinjs-utils', '@ant-design/icons'].map(
    (p) => require(`${p}/package.json`).version,
  );
  const self = fs.readFileSync(fileURLToPath(import.meta.url));
  const hash = crypto
    .createHash('sha256')
    .update(JSON.stringify([versions, theme]))
    .update(self)
    .digest('hex');
  const dir = path.join(path.dirname(require.resolve('antd/package.json')), '../.cache/cpe-antd-css');
  const file = path.join(dir, `${hash.slice(0, 16)}.json`);
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {}
  const started = Date.now();
  const generated = generate(theme);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(`${file}.${process.pid}`, JSON.stringify(generated));
  fs.renameSync(`${file}.${process.pid}`, file);
  console.log(`antd CSS generated in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return generated;
}

/**
 * The browser side. `add` inserts CSS at the start of <head> in priority order, before every stylesheet of the app.
 * `wrap` wraps antd's genStyleHooks & co. in a style module: the hook made inserts the CSS of its component and
 * prefixCls the first time it runs, as antd's run-time styles did (a chunk may hold components a page never renders:
 * their CSS stays a string).
 */
const injectSource = (base: string) => `
const placed = [];
export function add(css, priority) {
  const el = document.createElement('style');
  el.textContent = css;
  const i = placed.findIndex((p) => p.priority > priority);
  if (i >= 0) placed[i].el.before(el);
  else if (placed.length) placed[placed.length - 1].el.after(el);
  else document.head.prepend(el);
  placed.splice(i >= 0 ? i : placed.length, 0, { el, priority });
}
add(${JSON.stringify(base)}, -1000);
const seen = new Set();
function use(key, byPrefix, prefixCls) {
  if (seen.has(key + ' ' + prefixCls)) return;
  // A prefixCls the build did not render (a custom one): all of the component's CSS.
  const prefixes = prefixCls in byPrefix ? [prefixCls] : Object.keys(byPrefix);
  seen.add(key + ' ' + prefixCls);
  for (const p of prefixes) {
    if (p !== prefixCls && seen.has(key + ' ' + p)) continue;
    seen.add(key + ' ' + p);
    for (const [priority, css] of byPrefix[p]) add(css, priority);
  }
}
export function wrap(table, gen) {
  return (component, styleFn, getDefaultToken, options) => {
    const made = gen(component, styleFn, getDefaultToken, options);
    const key = Array.isArray(component) ? component.join('-') : component + '-' + component;
    // injectStyle: false: Menu inside a Dropdown, Tooltip inside a Popover (the outer component styles them).
    const byPrefix = table[key];
    if (!byPrefix || options?.injectStyle === false) return made;
    // Hooks take (prefixCls, rootCls); sub-style components ({ prefixCls, rootCls }).
    return (first, ...rest) => {
      use(key, byPrefix, typeof first === 'string' ? first : first?.prefixCls);
      return made(first, ...rest);
    };
  };
}
`;

const GENERATORS = ['genStyleHooks', 'genComponentStyleHook', 'genSubStyleComponent'];

export function antdCss(theme: ThemeConfig): Plugin {
  let generated: Generated | undefined;
  let dev = false;
  const css = () => {
    generated ??= cached(theme);
    return generated;
  };
  const styleModule = /[\\/]node_modules[\\/]antd[\\/]es[\\/]((?:[\w-]+[\\/])?[\w-]+[\\/]style(?:[\\/][\w-]+)?)\.js$/;
  return {
    name: 'cpe-antd-css',
    enforce: 'pre',
    configResolved(config) {
      dev = config.command === 'serve';
    },
    resolveId(id) {
      if (id.startsWith(VIRTUAL)) return RESOLVED + id.slice(VIRTUAL.length);
    },
    load(id) {
      if (!id.startsWith(RESOLVED)) return;
      const name = id.slice(RESOLVED.length);
      const { base, modules } = css();
      // An empty map: no generated source map (megabytes of base64 in dev) for generated code.
      const map = { mappings: '' };
      if (name !== INJECT) return { code: `export default ${JSON.stringify(modules[name] ?? {})};`, map };
      if (!dev) return { code: injectSource(base), map };
      // The dev server pre-bundles antd (no style module passes through transform): everything, at once.
      const all = Object.values(modules).flatMap((m) => Object.values(m).flatMap((p) => Object.values(p).flat()));
      all.sort((a, b) => a[0] - b[0]);
      return {
        code: injectSource(base) + all.map(([p, text]) => `add(${JSON.stringify(text)}, ${p});`).join('\n'),
        map,
      };
    },
    transform(code, id) {
      const m = styleModule.exec(id);
      const name = m?.[1]?.replace(/\\/g, '/');
      if (!name || !css().modules[name]) return;
      // Every call of a generator goes through its wrapped twin (a hoisted function declared below), and loses its
      // style function: zeroRuntime never calls it, so the minifier drops antd's style code from the bundle.
      const used = GENERATORS.filter((g) => new RegExp(`\\b${g}\\(`).test(code));
      const edits: [number, number, string][] = [];
      const visit = (node: unknown): void => {
        if (!node || typeof node !== 'object') return;
        if (Array.isArray(node)) {
          for (const child of node) visit(child);
          return;
        }
        const n = node as { type?: string; callee?: { type: string; name: string; start: number; end: number } };
        const args = (node as { arguments?: { start: number; end: number }[] }).arguments;
        if (n.type === 'CallExpression' && n.callee?.type === 'Identifier' && used.includes(n.callee.name) && args) {
          if (code.slice(n.callee.start, n.callee.end) !== n.callee.name) throw new Error(`antd-css: offsets in ${id}`);
          edits.push([n.callee.start, n.callee.end, `__cpe_${n.callee.name}`]);
          if (args[1]) edits.push([args[1].start, args[1].end, 'null']);
        }
        for (const v of Object.values(node)) if (v && typeof v === 'object') visit(v);
      };
      visit(this.parse(code));
      let out = code;
      for (const [start, end, text] of edits.sort((a, b) => b[0] - a[0]))
        out = out.slice(0, start) + text + out.slice(end);
      const wrapped = used.map((g) => `function __cpe_${g}(...args) { return __cpeWrap(__cpeCss, ${g})(...args); }`);
      return {
        code: [
          out,
          `import { wrap as __cpeWrap } from '${VIRTUAL}${INJECT}';`,
          `import __cpeCss from '${VIRTUAL}${name}';`,
          ...wrapped,
        ].join('\n'),
        map: null,
      };
    },
  };
}
