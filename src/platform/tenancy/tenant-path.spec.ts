import { describe, expect, it } from 'vitest';
import { rewriteTenantPath, slugFromHost, type RawRequestWithSlug } from './tenant-path';

const req = (url: string) => ({ url }) as RawRequestWithSlug;

describe('rewriteTenantPath', () => {
  it('strips /t/{slug} and remembers the slug', () => {
    const r = req('/t/jingan-spa/api/store?x=1');
    expect(rewriteTenantPath(r)).toBe('/api/store?x=1');
    expect(r.tenantSlugFromPath).toBe('jingan-spa');
  });
  it('maps the bare prefix to the root', () => {
    expect(rewriteTenantPath(req('/t/abc'))).toBe('/');
    expect(rewriteTenantPath(req('/t/abc?q'))).toBe('/?q');
  });
  it('leaves other paths and malformed slugs alone', () => {
    const r = req('/t/AB/api');
    expect(rewriteTenantPath(r)).toBe('/t/AB/api');
    expect(r.tenantSlugFromPath).toBeUndefined();
    expect(rewriteTenantPath(req('/api/t/abc'))).toBe('/api/t/abc');
    expect(rewriteTenantPath(req('/t/abcd-x/'))).toBe('/');
  });
});

describe('slugFromHost', () => {
  it('reads the first label under the base domain', () => {
    expect(slugFromHost('jingan-spa.massage.example:8443', 'massage.example')).toBe('jingan-spa');
    expect(slugFromHost('JINGAN-SPA.Massage.Example', 'massage.example')).toBe('jingan-spa');
  });
  it('ignores the base domain itself, deeper names and other domains', () => {
    expect(slugFromHost('massage.example', 'massage.example')).toBeUndefined();
    expect(slugFromHost('a.b.massage.example', 'massage.example')).toBeUndefined();
    expect(slugFromHost('abc.evil.example', 'massage.example')).toBeUndefined();
    expect(slugFromHost(undefined, 'massage.example')).toBeUndefined();
  });
});
