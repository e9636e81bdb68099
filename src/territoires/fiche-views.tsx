import type { ValeurRow } from './store.ts';
import type { Contour } from './fiche-store.ts';
import {
  dansArrondissements,
  divergences,
  libelleGeographie,
  libelleIndicateur,
  libelleSource,
  ordreIndicateurs,
  phraseDivergence,
  texteValeur,
  trierSources,
  uniteIndicateur,
  type Rattachement,
} from './fiche-model.ts';
import { CarteTerritoires, contoursUrl, feature, MapAssets, NoContour, type Carto } from './views.tsx';
import { TableWrap } from '../platform/ui/table.tsx';

// The fact sheet of one QPV: its figures from every source, where they disagree, its contour, the
// arrondissements it touches.

export type FicheData = {
  code: string;
  nom: string;
  nomOfficiel: string | null;
  geographie: string;
  source: string | null;
  valeurs: ValeurRow[];
  arrondissements: Rattachement[];
  iris: { code: string; nom: string }[];
  contour: Contour | null;
  voisins: Contour[];
  fond: Contour[];
  importer: boolean;
  carto: Carto;
};

function Divergences(props: { valeurs: ValeurRow[] }) {
  const list = divergences(props.valeurs);
  if (!list.length) return null;
  return (
    <div class="notice notice-warning" role="note" aria-labelledby="titre-divergences">
      <h3 id="titre-divergences">Les sources divergent</h3>
      <p>Toutes les valeurs sont affichées ; aucune n’est corrigée ni moyennée.</p>
      <ul>
        {list.map((d) => (
          <li>{phraseDivergence(d)}</li>
        ))}
      </ul>
    </div>
  );
}

function Chiffres(props: { valeurs: ValeurRow[] }) {
  const indicateurs = ordreIndicateurs(props.valeurs.map((v) => v.indicateur));
  if (!indicateurs.length) return <p>Aucun chiffre n’est encore connu pour ce quartier.</p>;
  return (
    <TableWrap label="Tableau des chiffres du quartier">
      <table>
        <caption>Chiffres du quartier, par source et millésime</caption>
        <thead>
          <tr>
            <th scope="col">Indicateur</th>
            <th scope="col" class="number">
              Valeur
            </th>
            <th scope="col">Millésime</th>
            <th scope="col">Source</th>
          </tr>
        </thead>
        {indicateurs.map((indicateur) => {
          const rows = trierSources(props.valeurs.filter((v) => v.indicateur === indicateur));
          const unite = uniteIndicateur(indicateur);
          return (
            <tbody>
              {rows.map((v, i) => (
              <tr>
                {i === 0 && (
                  <th scope="rowgroup" rowSpan={rows.length}>
                    {libelleIndicateur(indicateur)}
                    {unite && <span class="source"> ({unite})</span>}
                  </th>
                )}
                <td class="number">
                  <span class="chiffre">{texteValeur(v)}</span>
                </td>
                <td>{v.millesime}</td>
                <td>{libelleSource(v.source)}</td>
              </tr>
              ))}
            </tbody>
          );
        })}
      </table>
    </TableWrap>
  );
}

export function FichePage(props: { d: FicheData }) {
  const d = props.d;
  const dans = dansArrondissements(d.arrondissements.map((a) => a.nom));
  return (
    <>
      <MapAssets />
      <p>
        <a href={`/quartiers?geographie=${encodeURIComponent(d.geographie)}`}>Les quartiers prioritaires</a>
      </p>
      <h1>{d.nom}</h1>
      <dl class="details">
        <dt>Nature</dt>
        <dd>Quartier prioritaire de la politique de la ville</dd>
        <dt>Code</dt>
        <dd>{d.code}</dd>
        <dt>Géographie</dt>
        <dd>{libelleGeographie(d.geographie)}</dd>
        {d.nomOfficiel && d.nomOfficiel !== d.nom && (
          <>
            <dt>Nom officiel</dt>
            <dd>
              {d.nomOfficiel} <span class="source">(le contrat écrit « {d.nom} »)</span>
            </dd>
          </>
        )}
        <dt>{d.arrondissements.length > 1 ? 'Arrondissements' : 'Arrondissement'}</dt>
        <dd>
          {d.arrondissements.length ? (
            <ul class="plain-list">
              {d.arrondissements.map((a) => (
                <li>
                  <a href={`/territoires/arrondissements/${a.code}`}>{a.nom}</a>{' '}
                  <span class="source">— selon {a.sources.map(libelleSource).join(' ; ')}</span>
                </li>
              ))}
            </ul>
          ) : (
            'non renseigné'
          )}
        </dd>
        {d.source && (
          <>
            <dt>Source</dt>
            <dd>{libelleSource(d.source)}</dd>
          </>
        )}
      </dl>

      <h2 id="titre-chiffres">Chiffres</h2>
      <Divergences valeurs={d.valeurs} />
      <Chiffres valeurs={d.valeurs} />

      <h2 id="titre-carte">Carte</h2>
      {d.contour ? (
        <CarteTerritoires
          carto={d.carto}
          geojson={[...(d.fond.length ? [contoursUrl('arrondissement')] : []), contoursUrl('qpv', d.geographie)]}
          lien="/quartiers/{code}"
          map={{
            id: 'carte-quartier',
            title: `Contour du quartier prioritaire ${d.nom}`,
            description: `Le quartier ${d.nom} (${d.code})${dans ? `, ${dans}` : ''}, avec les quartiers prioritaires voisins${d.fond.length ? ' et les limites des arrondissements' : ''}.`,
            height: 420,
            margin: 110,
            fitTo: [d.code],
            layers: [
              { kind: 'context', features: d.fond.map((a) => feature(a)), legend: 'Arrondissements' },
              { kind: 'zone', features: d.voisins.map((c) => feature(c)), legend: 'Autres quartiers prioritaires' },
            ],
            highlight: { id: d.code, legend: `${d.nom} (ce quartier)` },
          }}
          caption={<>Contour : {d.contour.contourSource ?? 'fichier officiel importé'}.</>}
        />
      ) : (
        <NoContour importer={d.importer} quoi="Le contour de ce quartier n’a pas encore été importé" />
      )}

      {d.iris.length > 0 && (
        <>
          <h2 id="titre-iris">IRIS du quartier</h2>
          <ul>
            {d.iris.map((i) => (
              <li>
                {i.nom} ({i.code})
              </li>
            ))}
          </ul>
        </>
      )}

      <h2 id="titre-aller-plus-loin">Aller plus loin</h2>
      <ul>
        <li>
          <a href="/quartiers/comparer">Comparer les quartiers prioritaires</a>
        </li>
        <li>
          <a href={`/api/v1/territoires/${encodeURIComponent(d.code)}`}>Les données de ce quartier dans l’API (JSON)</a>
        </li>
      </ul>
    </>
  );
}
