import { TableWrap } from '../platform/ui/table.tsx';
import { enfants, LIBELLES_NIVEAU, NIVEAUX, sourceCitee, titreNoeud, type Niveau } from './model.ts';
import { Avenants, FilAriane, hrefNoeud, Source, type Annonce, type AvenantVisible } from './commun-views.tsx';

// The contract's own page: its strategy at a glance (axes, orientations, objectifs), how many items
// each level holds, its transversal priorities, who signed it, and the ways in (search, export, API).

export type NoeudVue = { ref: string; niveau: string; numero: string; libelle: string; parentRef: string | null; document: string | null; lignes: number[] };

export type ContratData = {
  nom: string;
  plan: NoeudVue[];
  comptes: Partial<Record<Niveau, number>>;
  prioritesTransversales: Annonce[];
  organisations: { nom: string; type: string; aliases: string[]; source: string | null }[];
  annonces: Annonce[];
  avenants: AvenantVisible[];
};

const GROUPES_ORGANISATIONS: { type: string; titre: string }[] = [
  { type: 'signataire', titre: 'Signataires' },
  { type: 'partenaire', titre: 'Partenaires' },
];

export function FormulaireRecherche(props: { q?: string | undefined; erreur?: string | undefined }) {
  return (
    <form method="get" action="/contrat/recherche" class="search-form" role="search" aria-label="Rechercher dans le contrat">
      <div class={props.erreur ? 'field field-error' : 'field'}>
        <label for="champ-q">Rechercher dans le contrat</label>
        <p class="hint" id="aide-q">
          Un ou plusieurs mots : « décrochage », « emploi des jeunes »…
        </p>
        {props.erreur && (
          <p class="error-message" id="erreur-q">
            <span class="visually-hidden">Erreur : </span>
            {props.erreur}
          </p>
        )}
        <input
          id="champ-q"
          name="q"
          type="search"
          value={props.q ?? ''}
          aria-describedby={props.erreur ? 'aide-q erreur-q' : 'aide-q'}
          aria-invalid={props.erreur ? 'true' : undefined}
        />
      </div>
      <button type="submit" class="button">
        Rechercher
      </button>
    </form>
  );
}

function Comptes(props: { comptes: ContratData['comptes'] }) {
  return (
    <TableWrap label="Nombre d’éléments par niveau">
      <table>
        <caption>Les éléments de la stratégie, par niveau</caption>
        <thead>
          <tr>
            <th scope="col">Niveau</th>
            <th scope="col" class="number">
              Nombre
            </th>
          </tr>
        </thead>
        <tbody>
          {NIVEAUX.map((niveau) => (
            <tr>
              <th scope="row">{LIBELLES_NIVEAU[niveau].des}</th>
              <td class="number">{props.comptes[niveau] ?? 0}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

function Plan(props: { plan: NoeudVue[] }) {
  const fils = enfants(props.plan);
  return (
    <>
      {(fils.get(null) ?? []).map((axe) => (
        <section aria-labelledby={`axe-${axe.ref}`}>
          <h3 id={`axe-${axe.ref}`}>
            <a href={hrefNoeud(axe.ref)}>{titreNoeud(axe)}</a>
          </h3>
          <p>
            <Source document={axe.document} lignes={axe.lignes} />
          </p>
          <ul>
            {(fils.get(axe.ref) ?? []).map((o) => (
              <li>
                <a href={hrefNoeud(o.ref)}>{titreNoeud(o)}</a> <Source document={o.document} lignes={o.lignes} />
                {(fils.get(o.ref) ?? []).length > 0 && (
                  <ul>
                    {(fils.get(o.ref) ?? []).map((obj) => (
                      <li>
                        <a href={hrefNoeud(obj.ref)}>{titreNoeud(obj)}</a> <Source document={obj.document} lignes={obj.lignes} />
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}

export function ContratPage(props: { d: ContratData }) {
  const d = props.d;
  const nb = (n: Niveau) => d.comptes[n] ?? 0;
  return (
    <>
      <FilAriane miettes={[{ label: 'Le contrat' }]} />
      <h1>{d.nom}</h1>
      <p class="lead">
        La stratégie du contrat : {nb('axe')} axes, {nb('orientation')} orientations, {nb('objectif')} objectifs, déclinés en{' '}
        {nb('action')} actions et {nb('levier')} leviers d’actions. Chaque élément renvoie à la ligne du contrat d’où il vient.
      </p>
      <FormulaireRecherche />
      <ul class="actions plain-list">
        <li>
          <a href="/contrat/avenants">Les avenants au contrat</a>
        </li>
        <li>
          <a href="/contrat/export.csv" download>
            Télécharger l’arbre du contrat (CSV)
          </a>
        </li>
        <li>
          <a href="/api/v1/contrat/arbre">L’arbre du contrat par l’API (JSON)</a>
        </li>
      </ul>

      <h2>Les axes, orientations et objectifs</h2>
      <Plan plan={d.plan} />

      <h2>Le contrat en chiffres</h2>
      <Comptes comptes={d.comptes} />

      {d.prioritesTransversales.length > 0 && (
        <>
          <h2>Les priorités transversales</h2>
          <p>Elles s’appliquent à chacun des axes du contrat.</p>
          <ul>
            {d.prioritesTransversales.map((p) => (
              <li>
                {p.texte} <Source document={p.document} lignes={p.lignes} />
              </li>
            ))}
          </ul>
        </>
      )}

      <h2>Signataires et partenaires</h2>
      {GROUPES_ORGANISATIONS.map((g) => {
        const liste = d.organisations.filter((o) => o.type === g.type);
        return (
          liste.length > 0 && (
            <>
              <h3>{g.titre}</h3>
              <ul>
                {liste.map((o) => (
                  <li>
                    {o.nom}
                    {o.aliases.length > 0 && <> (aussi nommé : {o.aliases.join(', ')})</>}
                    {o.source && (
                      <>
                        {' '}
                        <small class="source">{sourceCitee(o.source)}</small>
                      </>
                    )}
                  </li>
                ))}
              </ul>
            </>
          )
        );
      })}

      <Avenants annonces={d.annonces} avenants={d.avenants} />
    </>
  );
}
