const HEX = /^#[0-9a-fA-F]{6}$/;

/**
 * Applies the store's brand colour through Vant's CSS variables (buttons, tabs, tags, switches…)
 * plus our own `--brand`. An invalid or missing colour keeps Vant's default.
 */
export function applyTheme(color: string | null | undefined): void {
  if (!color || !HEX.test(color)) return;
  const root = document.documentElement.style;
  for (const v of ['--brand', '--van-primary-color', '--van-tabbar-item-active-color', '--van-nav-bar-icon-color'])
    root.setProperty(v, color);
  document.querySelector('meta[name="theme-color"]')?.setAttribute('content', color);
}
