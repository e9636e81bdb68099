import { TableWrap } from '../platform/ui/table.tsx';
import type { Citation } from './schema.ts';
import { dateFr, enfants, LIBELLES_NIVEAU, nomCourt, numeroComplet, plagesLignes, tableauxActions, titreNoeud, type Niveau, LIBELLES_CHANGEMENT } from './model.ts';
import { Avenants, FilAriane, hrefAvenant, hrefNoeud, Source, type Annonce, type AvenantVisible } from './commun-views.tsx';
import type { NoeudVue } from './contrat-views.tsx';
import { DetailsOrientationVue, TableauxActions, type DetailsVue } from './tableau-views.tsx';

// The page of one item of the strategy tree: where it sits, where it comes from, what hangs below
// it, and what amendments did to it.

export type LigneHistorique = { avenant: AvenantVisible; type: string; avant: string | null; apres: string | null };

export type NoeudData = {
  noeud: NoeudVue & { sommaire: Citation | null; note: string | null };
  details: DetailsVue | null;
  chemin: NoeudVue[];
  dessous: NoeudVue[];
  ajoutePar: AvenantVisible | null;
  retirePar: AvenantVisible | null;
  historique: LigneHistorique[];
  annonces: Annonce[];
  avenants: AvenantVisible[];
};

const LienAvenant = (props: { a: AvenantVisible }) => (
  <a href={hrefAvenant(props.a.numero)}>
    l’avenant n° {props.a.numero} ({props.a.titre})
  </a>
);

/** The items below, two levels deep: an axe's orientations and objectifs, an action's leviers. */
function Dessous(props: { racine: string; dessous: NoeudVue[] }) {
  const fils = enfants(props.dessous);
  const liste = (parent: string, profondeur: number) => {
    const l = fils.get(parent) ?? [];
    if (!l.length) return null;
    return (
      <ul>
        {l.map((n) => (
          <li>
            <a href={hrefNoeud(n.ref)}>{titreNoeud(n)}</a> <Source document={n.document} lignes={n.lignes} />
            {profondeur > 1 && liste(n.ref, profondeur - 1)}
          </li>
        ))}
      </ul>
    );
  };
  return liste(props.racine, 2) ?? <p>Aucun élément n’est rattaché à celui-ci.</p>;
}

function Historique(props: { lignes: LigneHistorique[] }) {
  if (!props.lignes.length) return <p>Aucun avenant n’a modifié cet élément : il est tel que le contrat l’a signé.</p>;
  return (
    <TableWrap label="Historique des changements">
      <table>
        <caption>Les changements apportés par avenant</caption>
        <thead>
          <tr>
            <th scope="col">Avenant</th>
            <th scope="col">Changement</th>
            <th scope="col">Avant</th>
            <th scope="col">Après</th>
          </tr>
        </thead>
        <tbody>
          {props.lignes.map((l) => (
            <tr>
              <th scope="row">
                <a href={hrefAvenant(l.avenant.numero)}>Avenant n° {l.avenant.numero}</a>
                <br />
                {l.avenant.adopteLe ? `adopté le ${dateFr(l.avenant.adopteLe)}` : 'en projet'}
              </th>
              <td>{l.type}</td>
              <td>{l.avant ?? '—'}</td>
              <td>{l.apres ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

export function NoeudPage(props: { d: NoeudData }) {
  // The wording shown is the amended one: say so beside the line it was first printed on.
  const modifiePar = props.d.historique.filter((h) => h.type === LIBELLES_CHANGEMENT.modification && h.avenant.statut === 'adopte').at(-1)?.avenant ?? null;
  const { d } = props;
  const n = d.noeud;
  const niveau = n.niveau as Niveau;
  const sommaireDiffere = n.sommaire && n.sommaire.texte.trim() !== n.libelle.trim();
  const avecTableau = niveau === 'objectif' || niveau === 'priorite';
  return (
    <>
      <FilAriane miettes={[{ label: 'Le contrat', href: '/contrat' }, ...d.chemin.map((c) => ({ label: nomCourt(c), href: hrefNoeud(c.ref) })), { label: nomCourt(n) }]} />
      <h1>{titreNoeud(n)}</h1>
      {sommaireDiffere && (
        <p>
          Libellé au sommaire : {n.sommaire!.texte} <small class="source">(l. {plagesLignes(n.sommaire!.lignes)})</small>
        </p>
      )}
      {d.retirePar && (
        <div class="notice notice-warning" role="note">
          <p>
            <strong>
              Cet élément a été retiré du contrat par <LienAvenant a={d.retirePar} />
              {d.retirePar.adopteLe && `, adopté le ${dateFr(d.retirePar.adopteLe)}`}.
            </strong>{' '}
            Il reste consultable ici pour mémoire.
          </p>
        </div>
      )}
      <dl class="details">
        <dt>Niveau</dt>
        <dd>{LIBELLES_NIVEAU[niveau]?.un ?? n.niveau}</dd>
        <dt>Numéro</dt>
        <dd>{numeroComplet(n.ref)}</dd>
        <dt>Source</dt>
        <dd>
          <Source document={n.document} lignes={n.lignes} />
          {modifiePar && (
            <>
              {' — libellé modifié depuis par '}
              <LienAvenant a={modifiePar} /> (voir l’historique ci-dessous)
            </>
          )}
        </dd>
        {d.ajoutePar && (
          <>
            <dt>Ajouté par</dt>
            <dd>
              <LienAvenant a={d.ajoutePar} />
            </dd>
          </>
        )}
      </dl>
      {n.note && (
        <div class="notice" role="note">
          <p>
            <strong>Note de transcription :</strong> {n.note}
          </p>
        </div>
      )}

      {d.details && <DetailsOrientationVue d={d.details} document={n.document} refs={new Set([n.ref, ...d.dessous.map((x) => x.ref)])} />}

      <h2>{avecTableau ? 'Objectifs opérationnels, actions et leviers' : 'Éléments rattachés'}</h2>
      {avecTableau ? <TableauxActions racine={n} tableaux={tableauxActions({ ...n, niveau }, d.dessous.map((x) => ({ ...x, niveau: x.niveau as Niveau })))} /> : <Dessous racine={n.ref} dessous={d.dessous} />}

      <h2>Historique</h2>
      <Historique lignes={d.historique} />

      <Avenants annonces={d.annonces} avenants={d.avenants} />
    </>
  );
}
