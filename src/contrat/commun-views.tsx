import type { Citation } from './schema.ts';
import { dateFr, numeroAvenantSource, sourceLisible } from './model.ts';
import { FilAriane, type Miette } from '../platform/ui/fil-ariane.tsx';
export { FilAriane, type Miette };

// Pieces every page of the contract shows: an item's source, the breadcrumb, the amendments the
// contract announces and those adopted since.

/** The page of an item: each part of its reference kept readable ("/contrat/arbre/1.1.1/P1/OO1"). */
export const hrefNoeud = (ref: string) => `/contrat/arbre/${ref.split('/').map(encodeURIComponent).join('/')}`;
export const hrefAvenant = (numero: number) => `/contrat/avenants/${numero}`;

/** Where an item's text comes from: "Contrat de ville, l. 1559", or the amendment that added it. */
export function Source(props: { document: string | null; lignes: readonly number[] }) {
  const avenant = numeroAvenantSource(props.document);
  return (
    <small class="source">
      {avenant === null ? sourceLisible(props.document, props.lignes) : <a href={hrefAvenant(avenant)}>{sourceLisible(props.document, props.lignes)}</a>}
    </small>
  );
}


export type AvenantVisible = { numero: number; titre: string; statut: string; adopteLe: string | null };

/**
 * The contract announces its fourth axis, to come by amendment: every page of the contract says so,
 * with what amendments have been adopted since.
 */
export type Annonce = Citation & { document: string };

export function Avenants(props: { annonces: readonly Annonce[]; avenants: readonly AvenantVisible[] }) {
  const adoptes = props.avenants.filter((a) => a.statut === 'adopte');
  return (
    <aside class="card" aria-labelledby="titre-avenants-annonces">
      <h2 id="titre-avenants-annonces">Avenants au contrat</h2>
      {props.annonces.length > 0 && (
        <>
          <p>Le contrat annonce un avenant :</p>
          <ul>
            {props.annonces.map((a) => (
              <li>
                <q>{a.texte}</q> <Source document={a.document} lignes={a.lignes} />
              </li>
            ))}
          </ul>
        </>
      )}
      {adoptes.length ? (
        <ul>
          {adoptes.map((a) => (
            <li>
              <a href={hrefAvenant(a.numero)}>
                Avenant n° {a.numero} — {a.titre}
              </a>
              {a.adopteLe && `, adopté le ${dateFr(a.adopteLe)}`}
            </li>
          ))}
        </ul>
      ) : (
        <p>Aucun avenant n’a encore été adopté.</p>
      )}
      <p>
        <a href="/contrat/avenants">Tous les avenants</a>
      </p>
    </aside>
  );
}
