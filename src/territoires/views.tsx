import type { ComponentChildren } from 'preact';
import { Carte, type MapFeature, type MapOptions } from '../platform/ui/map.tsx';
import type { Contour } from './fiche-store.ts';
import { arrondissementCourt, libelleGeographie, libelleSource, numeroCourt, texteValeur } from './fiche-model.ts';
import { formatNombreFr, type EcartContrat, type ValeurSourcee } from './model.ts';
import { TableWrap } from '../platform/ui/table.tsx';

// The page of the contract's priority geography, and the pieces the other territory pages share.

export type Carto = { tileUrl: string | undefined; tileAttribution: string | undefined };

/** Stylesheets and scripts of the maps; put once on a page that shows one (the layout's head is shared). */
export function MapAssets() {
  return (
    <>
      <link rel="stylesheet" href="/static/carte.css" />
      <link rel="stylesheet" href="/static/vendor/leaflet/leaflet.css" />
      <script src="/static/vendor/leaflet/leaflet.js" defer />
      <script src="/static/carte.js" defer />
    </>
  );
}

export function Source(props: { v: ValeurSourcee }) {
  return (
    <span class="source">
      {libelleSource(props.v.source)}, millésime {props.v.millesime}
    </span>
  );
}

/** A figure as printed, with its source under it. */
export function Chiffre(props: { v: ValeurSourcee | null; unite?: string }) {
  if (!props.v) return <span class="source">non renseigné</span>;
  return (
    <>
      <span class="chiffre">
        {texteValeur(props.v)}
        {props.unite}
      </span>
      <br />
      <Source v={props.v} />
    </>
  );
}

export const feature = (c: Contour, label?: string): MapFeature => ({ id: c.code, name: c.nom, geometry: c.geometry, ...(label ? { label } : {}) });

export const contoursUrl = (type: string, geographie?: string) =>
  `/api/v1/territoires/contours?type=${encodeURIComponent(type)}${geographie ? `&geographie=${encodeURIComponent(geographie)}` : ''}`;

export function CarteTerritoires(props: { map: MapOptions; caption: ComponentChildren; carto: Carto; geojson: string[]; lien?: string }) {
  return (
    <Carte
      map={props.map}
      caption={props.caption}
      geojsonUrl={props.geojson.join(' ')}
      tileUrl={props.carto.tileUrl}
      tileAttribution={props.carto.tileAttribution}
      linkPattern={props.lien}
    />
  );
}

export type LigneQpv = {
  code: string;
  nom: string;
  arrondissements: { code: string; nom: string }[];
  population: ValeurSourcee | null;
  revenuMedian: ValeurSourcee | null;
};

export type QuartiersData = {
  geographie: string;
  geographies: string[];
  lignes: LigneQpv[];
  /** The population summed from the table (the contract's values), and the contract's printed total. */
  total: { somme: number; quartiers: number; manquants: string[] } | null;
  ecart: (EcartContrat & { source: ValeurSourcee }) | null;
  qva: { code: string; nom: string; source: string | null; arrondissements: { code: string; nom: string }[] }[];
  arrondissements: Contour[];
  contours: Contour[];
  importer: boolean;
  carto: Carto;
};

export function ArrondissementsLiens(props: { list: { code: string; nom: string }[] }) {
  if (!props.list.length) return <>—</>;
  return (
    <>
      {props.list.map((a, i) => (
        <>
          {i > 0 && ', '}
          <a href={`/territoires/arrondissements/${a.code}`}>{arrondissementCourt(a.nom)}</a>
        </>
      ))}
    </>
  );
}

function TotalPopulation(props: { d: QuartiersData }) {
  const { total, ecart } = props.d;
  if (!total) return null;
  const somme = formatNombreFr(total.somme);
  return (
    <section aria-labelledby="titre-population">
      <h2 id="titre-population">Population</h2>
      <p>
        Les {total.quartiers} quartiers comptent <strong class="chiffre">{somme} habitants</strong>, somme calculée à partir du tableau du
        contrat.
        {total.manquants.length > 0 && ` Population non renseignée pour : ${total.manquants.join(', ')}.`}
      </p>
      {ecart &&
        (ecart.concorde ? (
          <p>
            Le contrat indique {ecart.source.texte ?? formatNombreFr(ecart.imprime)} habitants ({libelleSource(ecart.source.source)}) : la somme du
            tableau donne le même total.
          </p>
        ) : (
          <div class="notice notice-warning" role="note">
            <p>
              <strong>
                Le contrat indique {ecart.source.texte ?? formatNombreFr(ecart.imprime)} habitants ; la somme du tableau donne {somme} : écart de{' '}
                {formatNombreFr(Math.abs(ecart.ecart))} habitants.
              </strong>
            </p>
            <p>{ecart.explication}</p>
          </div>
        ))}
    </section>
  );
}

export function QuartiersPage(props: { d: QuartiersData }) {
  const d = props.d;
  const contract = d.lignes.some((l) => l.population || l.revenuMedian);
  return (
    <>
      <MapAssets />
      <h1>Les quartiers prioritaires</h1>
      <p class="lead">
        {d.lignes.length} quartiers prioritaires de la politique de la ville (QPV) : c’est sur eux que le contrat concentre les crédits
        spécifiques et mobilise le droit commun.
      </p>
      <p>
        <strong>{libelleGeographie(d.geographie)}</strong>
        {d.geographies.length > 1 && (
          <>
            {' '}
            — autres versions :{' '}
            {d.geographies
              .filter((g) => g !== d.geographie)
              .map((g, i) => (
                <>
                  {i > 0 && ', '}
                  <a href={`/quartiers?geographie=${encodeURIComponent(g)}`}>{libelleGeographie(g)}</a>
                </>
              ))}
          </>
        )}
      </p>
      <ul class="actions plain-list">
        <li>
          <a href="/quartiers/comparer">Comparer les quartiers prioritaires</a>
        </li>
        <li>
          <a href={`/quartiers.csv?geographie=${encodeURIComponent(d.geographie)}`} download>
            Télécharger le tableau (CSV)
          </a>
        </li>
      </ul>

      <TotalPopulation d={d} />

      <h2 id="titre-carte">Carte</h2>
      {d.contours.length ? (
        <CarteTerritoires
          carto={d.carto}
          geojson={[...(d.arrondissements.length ? [contoursUrl('arrondissement')] : []), contoursUrl('qpv', d.geographie)]}
          lien="/quartiers/{code}"
          map={{
            id: 'carte-quartiers',
            title: `Carte des ${d.contours.length} quartiers prioritaires`,
            description: `Contours des quartiers prioritaires (${libelleGeographie(d.geographie)})${d.arrondissements.length ? ' sur le fond des arrondissements' : ''}. Chaque quartier porte le numéro de son code.`,
            height: 520,
            margin: 16,
            layers: [
              { kind: 'context', features: d.arrondissements.map((a) => feature(a)), legend: 'Arrondissements' },
              { kind: 'zone', features: d.contours.map((c) => feature(c, numeroCourt(c.code))), legend: 'Quartiers prioritaires', labels: true },
            ],
          }}
          caption={
            <>
              Les numéros renvoient aux trois derniers chiffres du code de chaque quartier, dans le tableau ci-dessous. Contours :{' '}
              {[...new Set(d.contours.map((c) => c.contourSource).filter(Boolean))].join(' ; ') || 'fichier officiel importé'}.
            </>
          }
        />
      ) : (
        <NoContour importer={d.importer} quoi="Les contours des quartiers prioritaires n’ont pas encore été importés" />
      )}

      <TableWrap label="Tableau des quartiers prioritaires">
        <table>
          <caption>
            Les {d.lignes.length} quartiers prioritaires — {libelleGeographie(d.geographie)}
            {contract ? ' — chiffres tels que le tableau du contrat les imprime' : ''}
          </caption>
          <thead>
            <tr>
              <th scope="col">Code</th>
              <th scope="col">Nom</th>
              <th scope="col">Arrondissement(s)</th>
              <th scope="col" class="number">
                Population
              </th>
              <th scope="col" class="number">
                Revenu fiscal médian (<abbr title="euros par unité de consommation">€/UC</abbr>)
              </th>
            </tr>
          </thead>
          <tbody>
            {d.lignes.map((l) => (
              <tr>
                <td>{l.code}</td>
                <th scope="row">
                  <a href={`/quartiers/${encodeURIComponent(l.code)}`}>{l.nom}</a>
                </th>
                <td>
                  <ArrondissementsLiens list={l.arrondissements} />
                </td>
                <td class="number">
                  <Chiffre v={l.population} />
                </td>
                <td class="number">
                  <Chiffre v={l.revenuMedian} />
                </td>
              </tr>
            ))}
          </tbody>
          {d.total && (
            <tfoot>
              <tr>
                <th scope="row" colSpan={3}>
                  Total calculé ({d.total.quartiers} quartiers)
                </th>
                <td class="number">
                  <span class="chiffre">{formatNombreFr(d.total.somme)}</span>
                </td>
                <td />
              </tr>
            </tfoot>
          )}
        </table>
      </TableWrap>

      <h2 id="titre-qva">Les quartiers de veille active</h2>
      {d.qva.length ? (
        <>
          <p>
            Le contrat les nomme sans en tracer le périmètre : ils n’ont pas de contour. Ils restent suivis par les partenaires et peuvent
            bénéficier de l’ingénierie de la politique de la ville.
          </p>
          <ul>
            {d.qva.map((q) => (
              <li>
                {q.nom} (<ArrondissementsLiens list={q.arrondissements} />){q.source && <span class="source"> — {libelleSource(q.source)}</span>}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p>Le contrat ne nomme aucun quartier de veille active.</p>
      )}
      <p>
        Ces données sont aussi disponibles par l’API :{' '}
        <a href={`/api/v1/territoires?type=qpv&geographie=${encodeURIComponent(d.geographie)}`}>liste des quartiers prioritaires (JSON)</a>.
      </p>
    </>
  );
}

export function NoContour(props: { importer: boolean; quoi: string }) {
  return (
    <div class="notice" role="note">
      <p>{props.quoi} : la carte n’est pas encore disponible.</p>
      {props.importer && (
        <p>
          <a href="/admin/imports">Importer le fichier officiel des contours</a>
        </p>
      )}
    </div>
  );
}
