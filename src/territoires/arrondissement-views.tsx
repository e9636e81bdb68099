import type { Contour } from './fiche-store.ts';
import { libelleGeographie, libelleIndicateur, libelleSource, numeroCourt, ordreIndicateurs, texteValeur } from './fiche-model.ts';
import type { ValeurRow } from './store.ts';
import { CarteTerritoires, contoursUrl, feature, MapAssets, NoContour, type Carto } from './views.tsx';

// An arrondissement: the quartiers prioritaires and de veille active it holds, on a map.

export type ArrondissementData = {
  code: string;
  nom: string;
  valeurs: ValeurRow[];
  qpv: { code: string; nom: string; geographie: string }[];
  qva: { code: string; nom: string }[];
  iris: { code: string; nom: string }[];
  fond: Contour[];
  contours: Contour[];
  importer: boolean;
  carto: Carto;
};

export function ArrondissementPage(props: { d: ArrondissementData }) {
  const d = props.d;
  const moi = d.fond.find((c) => c.code === d.code);
  const geographies = [...new Set(d.qpv.map((q) => q.geographie))];
  return (
    <>
      <MapAssets />
      <p>
        <a href="/quartiers">Les quartiers prioritaires</a>
      </p>
      <h1>{d.nom}</h1>
      <p>Code INSEE : {d.code}</p>

      <h2 id="titre-qpv">Quartiers prioritaires</h2>
      {d.qpv.length ? (
        <ul>
          {d.qpv.map((q) => (
            <li>
              <a href={`/quartiers/${encodeURIComponent(q.code)}`}>{q.nom}</a> ({q.code}
              {geographies.length > 1 ? `, ${libelleGeographie(q.geographie)}` : ''})
            </li>
          ))}
        </ul>
      ) : (
        <p>Aucun quartier prioritaire du contrat ne touche cet arrondissement.</p>
      )}
      {d.qva.length > 0 && (
        <>
          <h2 id="titre-qva">Quartiers de veille active</h2>
          <ul>
            {d.qva.map((q) => (
              <li>{q.nom}</li>
            ))}
          </ul>
        </>
      )}
      {d.iris.length > 0 && (
        <details class="iris">
          <summary>{`Les ${d.iris.length} IRIS de l’arrondissement`}</summary>
          <div class="table-wrap" tabIndex={0} role="region" aria-label="IRIS de l’arrondissement">
            <table>
              <caption>{`IRIS du ${d.nom}`}</caption>
              <thead>
                <tr>
                  <th scope="col">Code</th>
                  <th scope="col">Nom</th>
                </tr>
              </thead>
              <tbody>
                {d.iris.map((i) => (
                  <tr>
                    <td>{i.code}</td>
                    <td>{i.nom}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}

      <h2 id="titre-carte">Carte</h2>
      {moi ? (
        <CarteTerritoires
          carto={d.carto}
          geojson={[contoursUrl('arrondissement'), ...(d.contours.length ? [contoursUrl('qpv')] : [])]}
          lien="/quartiers/{code}"
          map={{
            id: 'carte-arrondissement',
            title: `Carte du ${d.nom}`,
            description: `Le ${d.nom} et ${d.contours.length ? `ses ${d.contours.length} quartiers prioritaires, numérotés par leur code` : 'ses voisins'}.`,
            height: 420,
            margin: 30,
            fitTo: [d.code],
            layers: [
              { kind: 'context', features: d.fond.map((a) => feature(a)), legend: 'Arrondissements' },
              { kind: 'zone', features: d.contours.map((c) => feature(c, numeroCourt(c.code))), legend: 'Quartiers prioritaires', labels: true },
            ],
            highlight: { id: d.code, legend: `${d.nom} (cet arrondissement)` },
          }}
          caption={<>Contour : {moi.contourSource ?? 'fichier officiel importé'}.</>}
        />
      ) : (
        <NoContour importer={d.importer} quoi="Le contour de cet arrondissement n’a pas encore été importé" />
      )}

      {d.valeurs.length > 0 && (
        <>
          <h2 id="titre-chiffres">Chiffres</h2>
          <ul>
            {ordreIndicateurs(d.valeurs.map((v) => v.indicateur)).flatMap((i) =>
              d.valeurs
                .filter((v) => v.indicateur === i)
                .map((v) => (
                  <li>
                    {libelleIndicateur(i)} : <span class="chiffre">{texteValeur(v)}</span>{' '}
                    <span class="source">
                      ({libelleSource(v.source)}, millésime {v.millesime})
                    </span>
                  </li>
                )),
            )}
          </ul>
        </>
      )}
    </>
  );
}
