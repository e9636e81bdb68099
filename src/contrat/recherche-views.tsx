import { nomCourt, surligner } from './model.ts';
import { Avenants, FilAriane, hrefNoeud, Source, type Annonce, type AvenantVisible } from './commun-views.tsx';
import { FormulaireRecherche, type NoeudVue } from './contrat-views.tsx';

// Full-text search in the contract: each item found with its words highlighted and where it sits.

export type RechercheData = {
  q: string;
  /** Why there is no search (empty or too short a query, too long a one), in French. */
  message: string | null;
  erreur: string | null;
  total: number;
  resultats: { noeud: NoeudVue; chemin: NoeudVue[] }[];
  annonces: Annonce[];
  avenants: AvenantVisible[];
};

function Surligne(props: { texte: string; q: string }) {
  const parts = surligner(props.texte, props.q);
  return (
    <>
      {parts.map(([t, m]) => (m ? <mark>{t}</mark> : t))}
      {/* An orientation is also found by its details (actors, priorities…), which the label does not show. */}
      {!parts.some(([, m]) => m) && <small> (mots trouvés dans le détail de l’élément)</small>}
    </>
  );
}

export function RecherchePage(props: { d: RechercheData }) {
  const { d } = props;
  const cherche = d.message === null && d.erreur === null;
  return (
    <>
      <FilAriane miettes={[{ label: 'Le contrat', href: '/contrat' }, { label: 'Recherche' }]} />
      <h1>Rechercher dans le contrat</h1>
      <FormulaireRecherche q={d.q} erreur={d.erreur ?? undefined} />
      {d.message && <p role="status">{d.message}</p>}
      {cherche && (
        <>
          <h2>
            {d.total === 0 ? `Aucun résultat pour « ${d.q} »` : `${d.total} résultat${d.total > 1 ? 's' : ''} pour « ${d.q} »`}
          </h2>
          {d.total > d.resultats.length && <p>Les {d.resultats.length} plus pertinents sont affichés : précisez la recherche pour affiner.</p>}
          {d.total === 0 && <p>Essayez un autre mot, ou un mot plus général.</p>}
          {d.resultats.length > 0 && (
            <ol>
              {d.resultats.map(({ noeud: n, chemin }) => (
                <li>
                  <p>
                    <a href={hrefNoeud(n.ref)}>
                      {nomCourt(n)} — <Surligne texte={n.libelle} q={d.q} />
                    </a>{' '}
                    <Source document={n.document} lignes={n.lignes} />
                    {chemin.length > 0 && (
                      <>
                        <br />
                        <small>Dans : {chemin.map((c) => `${nomCourt(c)} ${c.libelle}`).join(' › ')}</small>
                      </>
                    )}
                  </p>
                </li>
              ))}
            </ol>
          )}
        </>
      )}
      <Avenants annonces={d.annonces} avenants={d.avenants} />
    </>
  );
}
