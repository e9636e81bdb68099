import { BarChart } from '../platform/ui/bar-chart.tsx';
import { MapSvg } from '../platform/ui/map.tsx';
import type { Contour } from './fiche-store.ts';
import { libelleGeographie, libelleSource, numeroCourt, texteValeur, TRI_LIBELLES, TRIS, uniteIndicateur, type Serie, type Tri } from './fiche-model.ts';
import { formatNombreFr, formatPourcent } from './model.ts';
import type { ValeurRow } from './store.ts';
import { feature, MapAssets, NoContour } from './views.tsx';
import { TableWrap } from '../platform/ui/table.tsx';

// Every QPV side by side: one series at a time as bars, a table and a choropleth map (chosen with a
// plain GET form), then every series in one table.

export type LigneComparee = { code: string; nom: string; valeur: number | null; texte: string; source: string | null };

export type ComparerData = {
  geographie: string;
  series: Serie[];
  serie: Serie | null;
  tri: Tri;
  lignes: LigneComparee[];
  reference: { nom: string; valeur: number; texte: string; source: string } | null;
  tous: { code: string; nom: string; valeurs: Map<string, ValeurRow> }[];
  contours: Contour[];
  fond: Contour[];
  importer: boolean;
};

const unitePour = (serie: Serie) => {
  const u = uniteIndicateur(serie.indicateur);
  return u === '%' ? ' %' : '';
};

function lienTri(d: ComparerData, tri: Tri): string {
  const p = new URLSearchParams();
  if (d.serie) p.set('serie', d.serie.cle);
  p.set('tri', tri);
  if (d.geographie !== '2015') p.set('geographie', d.geographie);
  return `/quartiers/comparer?${p.toString()}#tableau-serie`;
}

function TriEntete(props: { d: ComparerData; label: string; tris: Tri[] }) {
  const { d } = props;
  const actif = props.tris.includes(d.tri);
  const next = actif && props.tris.length > 1 ? props.tris.find((t) => t !== d.tri)! : props.tris[0]!;
  const sort = !actif ? undefined : d.tri === 'valeur-decroissante' ? 'descending' : 'ascending';
  return (
    <th scope="col" aria-sort={sort} class={props.tris[0]!.startsWith('valeur') ? 'number' : undefined}>
      <a href={lienTri(d, next)}>
        {props.label}
        <span class="visually-hidden"> : trier par {TRI_LIBELLES[next].toLowerCase()}</span>
      </a>
    </th>
  );
}

function Formulaire(props: { d: ComparerData }) {
  const { d } = props;
  return (
    <form method="get" action="/quartiers/comparer" class="filters">
      {d.geographie !== '2015' && <input type="hidden" name="geographie" value={d.geographie} />}
      <div class="field">
        <label for="champ-serie">Indicateur</label>
        <select id="champ-serie" name="serie">
          {d.series.map((s) => (
            <option value={s.cle} selected={s.cle === d.serie?.cle}>
              {s.libelle}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="champ-tri">Ordre</label>
        <select id="champ-tri" name="tri">
          {TRIS.map((t) => (
            <option value={t} selected={t === d.tri}>
              {TRI_LIBELLES[t]}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" class="button">
        Afficher
      </button>
    </form>
  );
}

function SerieChoisie(props: { d: ComparerData; serie: Serie }) {
  const { d, serie } = props;
  const unite = unitePour(serie);
  const ref = d.reference;
  const ecart = (v: number | null) => (ref && v !== null && ref.valeur !== 0 ? (v - ref.valeur) / ref.valeur : null);
  const renseignes = d.lignes.filter((l) => l.valeur !== null);
  return (
    <>
      <h2 id="titre-serie">{serie.libelle}</h2>
      {ref && (
        <p>
          Valeur de référence pour {ref.nom} :{' '}
          <strong class="chiffre">
            {ref.texte}
            {unite}
          </strong>{' '}
          <span class="source">({libelleSource(ref.source)})</span>.
        </p>
      )}
      <figure class="graphique">
        <BarChart
          id="barres-serie"
          title={`${serie.libelle}, par quartier prioritaire`}
          description={`Barres horizontales, ${renseignes.length} quartiers renseignés sur ${d.lignes.length}, dans l’ordre : ${TRI_LIBELLES[d.tri].toLowerCase()}.${ref ? ` Ligne pointillée : ${ref.nom}, ${ref.texte}${unite}.` : ''} Le tableau qui suit donne les mêmes chiffres.`}
          bars={d.lignes.map((l) => ({ label: `${l.nom} (${numeroCourt(l.code)})`, value: l.valeur, text: l.valeur === null ? 'non renseigné' : `${l.texte}${unite}` }))}
          reference={ref ? { value: ref.valeur, label: `${ref.nom} : ${ref.texte}${unite}` } : undefined}
        />
        <figcaption>Chaque barre porte sa valeur ; les mêmes chiffres figurent dans le tableau ci-dessous, avec leur source.</figcaption>
      </figure>
      <div class="table-wrap" id="tableau-serie">
        <table>
          <caption>{serie.libelle} — tableau des quartiers (cliquez un en-tête pour trier)</caption>
          <thead>
            <tr>
              <TriEntete d={d} label="Code" tris={['code']} />
              <TriEntete d={d} label="Quartier" tris={['nom']} />
              <TriEntete d={d} label="Valeur" tris={['valeur-decroissante', 'valeur-croissante']} />
              {ref && (
                <th scope="col" class="number">
                  Écart à {ref.nom}
                </th>
              )}
              <th scope="col">Source</th>
            </tr>
          </thead>
          <tbody>
            {d.lignes.map((l) => {
              const e = ecart(l.valeur);
              return (
                <tr>
                  <td>{l.code}</td>
                  <th scope="row">
                    <a href={`/quartiers/${encodeURIComponent(l.code)}`}>{l.nom}</a>
                  </th>
                  <td class="number">
                    {l.valeur === null ? 'non renseigné' : `${l.texte}${unite}`}
                  </td>
                  {ref && <td class="number">{e === null ? '—' : `${e > 0 ? '+' : ''}${formatPourcent(e)}`}</td>}
                  <td>{l.source ? libelleSource(l.source) : '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <h3 id="titre-carte-serie">Carte</h3>
      {d.contours.length ? (
        <figure class="carte">
          <MapSvg
            id="carte-comparer"
            title={`Carte : ${serie.libelle}`}
            description={`Les quartiers prioritaires colorés et hachurés selon ${serie.libelle.toLowerCase()}, par classes d’effectifs égaux ; chaque quartier porte le numéro de son code. Le tableau ci-dessus donne les valeurs exactes.`}
            height={520}
            margin={16}
            layers={[
              { kind: 'context', features: d.fond.map((a) => feature(a)), legend: 'Arrondissements' },
              {
                kind: 'choropleth',
                legend: serie.libelle.split(' — ')[0]!,
                labels: true,
                features: d.contours.map((c) => ({ ...feature(c, numeroCourt(c.code)), value: d.lignes.find((l) => l.code === c.code)?.valeur ?? null })),
              },
            ]}
            choropleth={{ classes: 5, format: (v) => `${formatNombreFr(v)}${unite}` }}
          />
          <figcaption>Les numéros renvoient aux trois derniers chiffres du code de chaque quartier ; les valeurs exactes sont dans le tableau.</figcaption>
        </figure>
      ) : (
        <NoContour importer={d.importer} quoi="Les contours des quartiers prioritaires n’ont pas encore été importés" />
      )}
    </>
  );
}

export function ComparerPage(props: { d: ComparerData }) {
  const { d } = props;
  return (
    <>
      <MapAssets />
      <p>
        <a href={`/quartiers?geographie=${encodeURIComponent(d.geographie)}`}>Les quartiers prioritaires</a>
      </p>
      <h1>Comparer les quartiers prioritaires</h1>
      <p class="lead">
        Les {d.tous.length} quartiers prioritaires ({libelleGeographie(d.geographie)}) côte à côte, indicateur par indicateur, chaque valeur
        avec sa source et son millésime.
      </p>
      {d.series.length ? <Formulaire d={d} /> : <p>Aucun chiffre n’est encore connu pour ces quartiers.</p>}
      {d.serie && <SerieChoisie d={d} serie={d.serie} />}
      {d.series.length > 0 && (
        <>
          <h2 id="titre-tous">Tous les indicateurs</h2>
          <TableWrap label="Tableau de tous les indicateurs">
            <table>
              <caption>Tous les indicateurs, par quartier prioritaire</caption>
              <thead>
                <tr>
                  <th scope="col">Quartier</th>
                  {d.series.map((s) => (
                    <th scope="col" class="number">
                      {s.libelle}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {d.tous.map((q) => (
                  <tr>
                    <th scope="row">
                      <a href={`/quartiers/${encodeURIComponent(q.code)}`}>{q.nom}</a> <span class="source">{q.code}</span>
                    </th>
                    {d.series.map((s) => {
                      const v = q.valeurs.get(s.cle);
                      return <td class="number">{v ? `${texteValeur(v)}${unitePour(s)}` : '—'}</td>;
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      )}
    </>
  );
}
