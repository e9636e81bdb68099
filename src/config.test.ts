import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration', () => {
  it('runs with no configuration at all: PGlite in ./.pilotis on port 3000', () => {
    const c = loadConfig({});
    expect(c.env).toBe('development');
    expect(c.port).toBe(3000);
    expect(c.dataDir).toBe('./.pilotis');
    expect(c.databaseUrl).toBeUndefined();
    expect(c.publicUrl).toBe('http://localhost:3000');
    expect(c.oidc).toBeUndefined();
  });
  it('reads the port, the data folder and the PostgreSQL URL', () => {
    const c = loadConfig({ PORT: '8080', PILOTIS_DATA_DIR: '/srv/pilotis', DATABASE_URL: 'postgres://u:p@db:5432/pilotis' });
    expect(c.port).toBe(8080);
    expect(c.dataDir).toBe('/srv/pilotis');
    expect(c.databaseUrl).toBe('postgres://u:p@db:5432/pilotis');
    expect(c.publicUrl).toBe('http://localhost:8080');
  });
  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', OIDC_ISSUER: '' }).databaseUrl).toBeUndefined();
  });
  it('requires a cookie secret in production, and says so in French', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/COOKIE_SECRET est obligatoire en production/);
    expect(loadConfig({ NODE_ENV: 'production', COOKIE_SECRET: 'a'.repeat(32) }).env).toBe('production');
  });
  it('refuses malformed values with the name of the variable', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL doit commencer par postgres/);
  });
  it('configures OpenID Connect only with an issuer and a client id', () => {
    expect(() => loadConfig({ OIDC_ISSUER: 'https://auth.exemple.fr' })).toThrow(/OIDC_CLIENT_ID/);
    const c = loadConfig({ OIDC_ISSUER: 'https://auth.exemple.fr', OIDC_CLIENT_ID: 'pilotis', OIDC_CLIENT_SECRET: 's' });
    expect(c.oidc).toMatchObject({ issuer: 'https://auth.exemple.fr', clientId: 'pilotis', label: 'ProConnect', allowInsecure: false });
  });
  it('allows demonstration accounts only in development on this machine', () => {
    expect(loadConfig({}).demoAccounts).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }).demoAccounts).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', COOKIE_SECRET: 'a'.repeat(32) }).demoAccounts).toBe(false);
    expect(loadConfig({ HOST: '0.0.0.0' }).demoAccounts).toBe(false);
  });
  it('trusts no proxy unless told which', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.1, 10.0.0.0/8' }).trustProxy).toEqual(['10.0.0.1', '10.0.0.0/8']);
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY/);
  });
  it('marks cookies Secure when users reach Pilotis over https', () => {
    expect(loadConfig({}).secureCookies).toBe(false);
    expect(loadConfig({ PUBLIC_URL: 'https://pilotis.paris.fr' }).secureCookies).toBe(true);
  });
});
