/**
 * Colours and fonts of the current VS Code theme, read from the --vscode-* CSS variables at draw
 * time. Outside VS Code (a saved HTML page without the variables) neutral fallbacks are used.
 */
export interface Theme {
  kind: 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';
  foreground: string;
  muted: string;
  grid: string;
  background: string;
  fontFamily: string;
  fontSize: number;
  red: string;
  blue: string;
  yellow: string;
  orange: string;
  green: string;
  purple: string;
  /** Tooltip colours (VS Code's hover widget). */
  hoverBackground: string;
  hoverForeground: string;
  hoverBorder: string;
  /** Line width for curves: thicker in high-contrast themes. */
  lineWidth: number;
}

function cssVar(style: CSSStyleDeclaration, name: string): string {
  return style.getPropertyValue(name).trim();
}

export function themeKind(): Theme['kind'] {
  const c = document.body.classList;
  if (c.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (c.contains('vscode-high-contrast')) return 'high-contrast';
  if (c.contains('vscode-light')) return 'light';
  return 'dark';
}

export function readTheme(): Theme {
  const s = getComputedStyle(document.body);
  const kind = themeKind();
  const hc = kind === 'high-contrast' || kind === 'high-contrast-light';
  const light = kind === 'light' || kind === 'high-contrast-light';
  const fg = cssVar(s, '--vscode-editor-foreground') || cssVar(s, '--vscode-foreground') || s.color;
  // Chart colours are drawn opaque: some themes define them translucent (Default Dark/Light
  // Modern's charts.orange is rgba(234, 92, 0, 0.33)), which made lines and text unreadable.
  const pick = (name: string, fallbackLight: string, fallbackDark: string) => opaque(cssVar(s, name) || (light ? fallbackLight : fallbackDark));
  return {
    kind,
    foreground: fg,
    muted: cssVar(s, '--vscode-descriptionForeground') || fg,
    grid: hc
      ? cssVar(s, '--vscode-contrastBorder') || fg
      : cssVar(s, '--vscode-charts-lines') || withAlpha(cssVar(s, '--vscode-panel-border') || fg, 0.5),
    background: cssVar(s, '--vscode-editor-background') || s.backgroundColor,
    fontFamily: cssVar(s, '--vscode-font-family') || s.fontFamily,
    fontSize: parseFloat(cssVar(s, '--vscode-font-size')) || parseFloat(s.fontSize) || 13,
    red: pick('--vscode-charts-red', '#e51400', '#f14c4c'),
    blue: pick('--vscode-charts-blue', '#1a85ff', '#3794ff'),
    yellow: pick('--vscode-charts-yellow', '#bf8803', '#cca700'),
    orange: pick('--vscode-charts-orange', '#d18616', '#d18616'),
    green: pick('--vscode-charts-green', '#388a34', '#89d185'),
    purple: pick('--vscode-charts-purple', '#652d90', '#b180d7'),
    hoverBackground: cssVar(s, '--vscode-editorHoverWidget-background') || (cssVar(s, '--vscode-editor-background') || s.backgroundColor),
    hoverForeground: cssVar(s, '--vscode-editorHoverWidget-foreground') || fg,
    hoverBorder: cssVar(s, '--vscode-editorHoverWidget-border') || cssVar(s, '--vscode-contrastBorder') || fg,
    lineWidth: hc ? 3 : 2,
  };
}

let ctx: CanvasRenderingContext2D | null | undefined;

/** The colour without its alpha (drawn as if fully opaque). */
export function opaque(color: string): string {
  return withAlpha(color, 1, true);
}

/** Any CSS colour with its alpha multiplied by `alpha` (the canvas normalises the colour syntax); `replace` sets it instead. */
export function withAlpha(color: string, alpha: number, replace = false): string {
  if (ctx === undefined) ctx = document.createElement('canvas').getContext('2d');
  if (!ctx) return color;
  ctx.fillStyle = '#000000';
  ctx.fillStyle = color;
  const v = String(ctx.fillStyle);
  let m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(v);
  if (m) return `rgba(${parseInt(m[1], 16)}, ${parseInt(m[2], 16)}, ${parseInt(m[3], 16)}, ${alpha})`;
  m = /^rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*(?:,\s*([\d.]+)\s*)?\)$/.exec(v);
  if (m) return `rgba(${m[1]}, ${m[2]}, ${m[3]}, ${replace ? alpha : (m[4] === undefined ? 1 : parseFloat(m[4])) * alpha})`;
  return color;
}

/**
 * Calls `onChange` (once per frame at most) when the theme changes: VS Code swaps the body class
 * (vscode-light / vscode-dark / vscode-high-contrast) and rewrites the --vscode-* variables in
 * the <html> style attribute (which also changes between two themes of the same kind).
 */
export function observeTheme(onChange: () => void): () => void {
  let pending = false;
  const fire = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      onChange();
    });
  };
  const mo = new MutationObserver(fire);
  mo.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  mo.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  return () => mo.disconnect();
}
