// How fast is point → QPV, against a naive loop over every polygon, in the same run?
// 1. Lookups per second on random points over Paris.
// 2. Classifying the 158 048 addresses of the Paris base (QPV, arrondissement, IRIS, boundary distance).
// The floor is the textbook loop: ray casting on every edge of every contour, no bounding box, no index.
// Run: npm run bench:geo. The naive loop takes about 8 minutes over the whole base: by default it runs
// on 5 000 addresses spread over the base and the whole-base time is extrapolated; `--naif tout` runs it whole
// (and checks both give the same counts), `--naif N` on N addresses.
import { performance } from 'node:perf_hooks';
import { buildZoneIndex, naiveLocator } from '../src/territoires/geo/index.ts';
import { classer } from '../src/territoires/geo/model.ts';
import { creerLocalisateur } from '../src/territoires/geo/localisateur.ts';
import { lignesBan, zonesDuFichier } from '../test/geo-load.ts';

const arg = process.argv.indexOf('--naif');
const naiveArg = arg > 0 ? process.argv[arg + 1] : undefined;
const naiveLimit = naiveArg === 'tout' ? Infinity : Number(naiveArg ?? 5000);

const zones = [...zonesDuFichier('qpv'), ...zonesDuFichier('arrondissements'), ...zonesDuFichier('iris')];
const adresses = lignesBan();
console.log(`${zones.length} contours (20 QPV, 20 arrondissements, ${zones.length - 40} IRIS), ${adresses.length.toLocaleString('fr-FR')} adresses`);

let t = performance.now();
const index = buildZoneIndex(zones, { toleranceMetres: 15 });
console.log(`construction de l'index : ${(performance.now() - t).toFixed(0)} ms`);
const naive = naiveLocator(zones, { toleranceMetres: 15 });

// Random points over Paris's bounding box, from a fixed seed: the same points for both.
let seed = 42;
const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const points = Array.from({ length: 100_000 }, () => [2.224 + random() * 0.246, 48.815 + random() * 0.088] as const);

function rate(label: string, fn: (x: number, y: number) => unknown, n: number): number {
  for (let i = 0; i < Math.min(n, 2000); i++) fn(points[i]![0], points[i]![1]);
  const start = performance.now();
  for (let i = 0; i < n; i++) fn(points[i % points.length]![0], points[i % points.length]![1]);
  const perSecond = n / ((performance.now() - start) / 1000);
  console.log(`${label.padEnd(36)} ${Math.round(perSecond).toLocaleString('fr-FR').padStart(12)} recherches/s`);
  return perSecond;
}

console.log('\n1. Point → QPV, arrondissement, IRIS (points au hasard sur Paris)');
const fast = rate('index (flatbush + bandes)', (x, y) => classer(index.locate(x, y)), 200_000);
const slow = rate('boucle naïve (plancher)', (x, y) => classer(naive(x, y)), 5_000);
console.log(`ratio index / boucle naïve : ${(fast / slow).toFixed(0)}×`);

console.log(`\n2. Classer toute la base d'adresses (${adresses.length.toLocaleString('fr-FR')})`);
const counts = (fn: (x: number, y: number) => ReturnType<typeof classer>, rows: typeof adresses) => {
  const c = { qpv: 0, hors_qpv: 0, incertain: 0 };
  for (const a of rows) c[fn(a.lon, a.lat).statut]++;
  return c;
};
t = performance.now();
const indexed = counts((x, y) => classer(index.locate(x, y)), adresses);
const indexMs = performance.now() - t;
console.log(`index : ${indexMs.toFixed(0)} ms  ${JSON.stringify(indexed)}`);
// Every k-th address, so that the sample spreads over every arrondissement as the base does.
const step = Math.max(1, Math.ceil(adresses.length / naiveLimit));
const naiveRows = adresses.filter((_, i) => i % step === 0);
t = performance.now();
const naiveCounts = counts((x, y) => classer(naive(x, y)), naiveRows);
const naiveMs = performance.now() - t;
const naiveWhole = (naiveMs * adresses.length) / naiveRows.length;
console.log(
  `boucle naïve : ${naiveMs.toFixed(0)} ms${naiveRows.length < adresses.length ? ` pour ${naiveRows.length} adresses, soit ~${naiveWhole.toFixed(0)} ms pour toute la base` : ''}  ${JSON.stringify(naiveCounts)}`,
);
const sameRows = counts((x, y) => classer(index.locate(x, y)), naiveRows);
console.log(
  JSON.stringify(sameRows) === JSON.stringify(naiveCounts)
    ? 'les deux méthodes donnent les mêmes comptes sur les adresses comparées'
    : 'ATTENTION : les deux méthodes ne donnent pas les mêmes comptes.',
);
console.log(`ratio index / boucle naïve : ${(naiveWhole / indexMs).toFixed(0)}×`);

console.log('\n3. Pour information : géocodage hors ligne puis classement de 20 000 adresses écrites');
const localisateur = creerLocalisateur(zones, adresses, { toleranceMetres: 15 });
const textes = adresses
  .filter((_, i) => i % 8 === 0)
  .slice(0, 20_000)
  .map((a) => `${/^\d/.test(a.nomVoie) ? '' : `${a.numero ?? ''} `}${a.nomVoie.toLowerCase()} ${a.codePostal ?? ''}`);
t = performance.now();
for (const texte of textes) await localisateur.localiserAdresse(texte);
const ms = performance.now() - t;
console.log(`${textes.length.toLocaleString('fr-FR')} adresses en ${ms.toFixed(0)} ms (${Math.round(textes.length / (ms / 1000)).toLocaleString('fr-FR')} adresses/s)`);
