import { z } from 'zod';
import './platform/validation.ts';

// The only place that reads process.env: every other file receives a typed Config.

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v === undefined || v === '' ? undefined : v));

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    HOST: z.string().default('localhost'),
    PUBLIC_URL: optionalText.pipe(z.url().optional()),
    PILOTIS_DATA_DIR: z.string().default('./.pilotis'),
    DATABASE_URL: optionalText.pipe(z.string().regex(/^postgres(ql)?:\/\//, 'DATABASE_URL doit commencer par postgres://').optional()),
    COOKIE_SECRET: optionalText.pipe(z.string().min(32, 'COOKIE_SECRET doit compter au moins 32 caractères').optional()),
    SESSION_IDLE_MINUTES: z.coerce.number().int().positive().default(120),
    SESSION_MAX_HOURS: z.coerce.number().int().positive().default(12),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    OIDC_ISSUER: optionalText.pipe(z.url().optional()),
    OIDC_CLIENT_ID: optionalText,
    OIDC_CLIENT_SECRET: optionalText,
    OIDC_LABEL: z.string().default('ProConnect'),
    OIDC_SCOPES: z.string().default('openid email given_name usual_name'),
    OIDC_ALLOW_INSECURE: z.enum(['true', 'false']).default('false'),
    TEST_DATABASE_URL: optionalText,
    PILOTIS_GEO_DIR: optionalText,
    BAN_API_URL: optionalText.pipe(z.url().optional()),
    GEO_TOLERANCE_METRES: z.coerce.number().min(0).max(500).default(15),
    MAP_TILE_URL: optionalText,
    MAP_TILE_ATTRIBUTION: optionalText,
    CHROMIUM_PATH: z.string().default('/usr/bin/chromium'),
    CI: optionalText,
    TRUST_PROXY: optionalText,
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.COOKIE_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['COOKIE_SECRET'], message: 'COOKIE_SECRET est obligatoire en production' });
    }
    if (env.TRUST_PROXY === 'true') {
      ctx.addIssue({ code: 'custom', path: ['TRUST_PROXY'], message: 'TRUST_PROXY=true ferait confiance à tout client : indiquez un nombre de relais ou leurs adresses' });
    }
    if (env.OIDC_ISSUER && !env.OIDC_CLIENT_ID) {
      ctx.addIssue({ code: 'custom', path: ['OIDC_CLIENT_ID'], message: 'OIDC_CLIENT_ID est obligatoire quand OIDC_ISSUER est défini' });
    }
  });

export type Config = {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  publicUrl: string;
  /** Cookies carry `Secure` when users reach Pilotis over https. */
  secureCookies: boolean;
  /**
   * Which proxies may set X-Forwarded-For: false (none, the default), a hop count, or addresses/CIDRs.
   * Trusting every proxy would let any client choose the IP that rate limits and the audit log see.
   */
  trustProxy: boolean | number | string[];
  /** One demonstration account per role: only in development on a loopback address. */
  demoAccounts: boolean;
  dataDir: string;
  databaseUrl: string | undefined;
  cookieSecret: string | undefined;
  session: { idleMinutes: number; maxHours: number };
  logLevel: string;
  oidc:
    | {
        issuer: string;
        clientId: string;
        clientSecret: string | undefined;
        label: string;
        scopes: string;
        allowInsecure: boolean;
      }
    | undefined;
  testDatabaseUrl: string | undefined;
  chromiumPath: string;
  ci: boolean;
  geo: {
    /** A folder of official open-data files (QPV contours, INSEE files, BAN) imported at start when set. */
    dataDir: string | undefined;
    /** The national address API, for addresses the local base does not know. Off unless set. */
    banApiUrl: string | undefined;
    /** A point closer than this to a QPV boundary is answered "incertain". */
    toleranceMetres: number;
    /** Map background tiles: none by default (contours are drawn on a plain background). */
    tileUrl: string | undefined;
    tileAttribution: string | undefined;
  };
};

export class ConfigError extends Error {}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '::1']);

function parseTrustProxy(value: string | undefined): boolean | number | string[] {
  if (!value || value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(',').map((v) => v.trim()).filter(Boolean);
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Configuration invalide :\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, '');
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    secureCookies: publicUrl.startsWith('https://'),
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    demoAccounts: e.NODE_ENV === 'development' && LOOPBACK_HOSTS.has(e.HOST),
    dataDir: e.PILOTIS_DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    cookieSecret: e.COOKIE_SECRET,
    session: { idleMinutes: e.SESSION_IDLE_MINUTES, maxHours: e.SESSION_MAX_HOURS },
    logLevel: e.LOG_LEVEL,
    oidc:
      e.OIDC_ISSUER && e.OIDC_CLIENT_ID
        ? {
            issuer: e.OIDC_ISSUER,
            clientId: e.OIDC_CLIENT_ID,
            clientSecret: e.OIDC_CLIENT_SECRET,
            label: e.OIDC_LABEL,
            scopes: e.OIDC_SCOPES,
            allowInsecure: e.OIDC_ALLOW_INSECURE === 'true',
          }
        : undefined,
    testDatabaseUrl: e.TEST_DATABASE_URL,
    chromiumPath: e.CHROMIUM_PATH,
    ci: e.CI !== undefined && e.CI !== 'false' && e.CI !== '0',
    geo: {
      dataDir: e.PILOTIS_GEO_DIR,
      banApiUrl: e.BAN_API_URL,
      toleranceMetres: e.GEO_TOLERANCE_METRES,
      tileUrl: e.MAP_TILE_URL,
      tileAttribution: e.MAP_TILE_ATTRIBUTION,
    },
  };
}
