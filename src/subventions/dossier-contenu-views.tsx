import { titreNoeud, type NoeudCite } from '../contrat/model.ts';
import { TableWrap } from '../platform/ui/table.tsx';
import { equilibreBudget, euros, type LigneBudget } from './model.ts';
import { LIBELLES_TYPE_DOCUMENT, type TypeDocument } from './structure-model.ts';
import type { DossierComplet, FinanceurRow } from './store.ts';
import type { Piece } from './instruction-store.ts';
import { jourLong } from '../platform/dates.ts';

// What the association asked for, as everyone allowed on the file reads it: the project, its public,
// its quartiers and the contract's objectives it serves, its budget, its co-funders, its documents.

/** "12 mars 2021" from "2021-03-12" (a calendar day, no time zone to apply). */
export const jourFr = (iso: string | null) => (iso ? jourLong(iso) : 'non renseigné');
const nombre = (n: number | null) => (n === null ? 'non renseigné' : n.toLocaleString('fr-FR'));
/** An item of the strategy tree: each part of its reference kept readable ("/contrat/arbre/1.2.3/P1"). */
const hrefNoeud = (ref: string) => `/contrat/arbre/${ref.split('/').map(encodeURIComponent).join('/')}`;
const texteOuNon = (t: string) => (t.trim() ? t : 'Non renseigné.');

export function Projet(props: { d: DossierComplet }) {
  const { d } = props;
  return (
    <section aria-labelledby="titre-projet">
      <h2 id="titre-projet">Le projet</h2>
      <dl class="details">
        <dt>Objectifs</dt>
        <dd>{texteOuNon(d.objectifs)}</dd>
        <dt>Description</dt>
        <dd>{texteOuNon(d.description)}</dd>
        <dt>Dates</dt>
        <dd>
          Du {jourFr(d.dateDebut)} au {jourFr(d.dateFin)}
        </dd>
        <dt>Lieux</dt>
        <dd>{texteOuNon(d.lieux)}</dd>
        {d.thematique && (
          <>
            <dt>Thématique</dt>
            <dd>{d.thematique}</dd>
          </>
        )}
      </dl>
    </section>
  );
}

export function Public(props: { d: DossierComplet }) {
  const p = props.d.public;
  return (
    <section aria-labelledby="titre-public">
      <h2 id="titre-public">Le public</h2>
      <dl class="details">
        <dt>Nombre de personnes</dt>
        <dd>{nombre(p.nombre)}</dd>
        <dt>Âges</dt>
        <dd>{texteOuNon(p.ages)}</dd>
        <dt>Femmes et hommes</dt>
        <dd>
          {nombre(p.femmes)} femmes, {nombre(p.hommes)} hommes
        </dd>
        <dt>Part habitant un quartier prioritaire</dt>
        <dd>{p.partQpv === null ? 'non renseignée' : `${p.partQpv.toLocaleString('fr-FR')} %`}</dd>
        <dt>Description</dt>
        <dd>{texteOuNon(p.description)}</dd>
      </dl>
    </section>
  );
}

export function QuartiersObjectifs(props: { quartiers: string[]; noeuds: NoeudCite[] }) {
  return (
    <>
      <section aria-labelledby="titre-quartiers">
        <h2 id="titre-quartiers">Quartiers</h2>
        {props.quartiers.length ? (
          <ul>
            {props.quartiers.map((q) => (
              <li>{q}</li>
            ))}
          </ul>
        ) : (
          <p>Aucun quartier indiqué.</p>
        )}
      </section>
      <section aria-labelledby="titre-objectifs">
        <h2 id="titre-objectifs">Objectifs du contrat</h2>
        {props.noeuds.length ? (
          <ul>
            {props.noeuds.map((n) => (
              <li>
                <a href={hrefNoeud(n.ref)}>{titreNoeud(n)}</a>
              </li>
            ))}
          </ul>
        ) : (
          <p>Aucun objectif du contrat indiqué.</p>
        )}
      </section>
    </>
  );
}

/** Produits as the budget reads them: other resources, then each co-funder's line as account 74. */
export function produitsDe(d: DossierComplet): LigneBudget[] {
  return [...d.autresProduits, ...d.financements.map((f) => ({ compte: '74', libelle: f.libelle, montantCentimes: f.demandeCentimes }))];
}

function TableBudget(props: { caption: string; lignes: LigneBudget[]; total: number; contributions: number; classe: string }) {
  return (
    <TableWrap label={props.caption}>
      <table>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">Compte</th>
            <th scope="col">Libellé</th>
            <th scope="col">Montant</th>
          </tr>
        </thead>
        <tbody>
          {props.lignes.map((l) => (
            <tr>
              <td>{l.compte}</td>
              <th scope="row">{l.libelle}</th>
              <td>{euros(l.montantCentimes)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <td></td>
            <th scope="row">Total hors contributions volontaires</th>
            <td>{euros(props.total)}</td>
          </tr>
          {props.contributions > 0 && (
            <tr>
              <td>{props.classe}</td>
              <th scope="row">Contributions volontaires en nature</th>
              <td>{euros(props.contributions)}</td>
            </tr>
          )}
        </tfoot>
      </table>
    </TableWrap>
  );
}

export function Budget(props: { d: DossierComplet }) {
  const produits = produitsDe(props.d);
  const e = equilibreBudget({ charges: props.d.charges, produits });
  return (
    <section aria-labelledby="titre-budget">
      <h2 id="titre-budget">Budget prévisionnel</h2>
      <TableBudget caption="Charges du projet" lignes={props.d.charges} total={e.charges} contributions={e.contributionsCharges} classe="86" />
      <TableBudget caption="Produits du projet" lignes={produits} total={e.produits} contributions={e.contributionsProduits} classe="87" />
      {e.equilibre ? (
        <p>Le budget est équilibré : {euros(e.charges)} de charges et autant de produits.</p>
      ) : (
        <div class="notice notice-warning" role="note" aria-label="Budget déséquilibré">
          {e.problemes.map((p) => (
            <p>{p}</p>
          ))}
        </div>
      )}
    </section>
  );
}

/** Each co-funder's line: asked, proposed by the instructors (shown to them only), granted once decided. */
export function Financements(props: { d: DossierComplet; financeurs: FinanceurRow[]; propose: boolean; accorde: boolean }) {
  const nom = (id: string | null, libelle: string) => props.financeurs.find((f) => f.id === id)?.nom ?? libelle;
  const montant = (c: number | null) => (c === null ? 'non renseigné' : euros(c));
  return (
    <section aria-labelledby="titre-financements">
      <h2 id="titre-financements">Financements</h2>
      {props.d.financements.length ? (
        <TableWrap label="Financements demandés">
          <table>
            <caption>Financements demandés</caption>
            <thead>
              <tr>
                <th scope="col">Financeur</th>
                <th scope="col">Demandé</th>
                {props.propose && <th scope="col">Proposé par l’instruction</th>}
                {props.accorde && <th scope="col">Accordé</th>}
              </tr>
            </thead>
            <tbody>
              {props.d.financements.map((f) => (
                <tr>
                  <th scope="row">{nom(f.financeurId, f.libelle)}</th>
                  <td>{euros(f.demandeCentimes)}</td>
                  {props.propose && <td>{f.financeurId === null ? 'sans objet (hors appel à projets)' : montant(f.proposeCentimes)}</td>}
                  {props.accorde && <td>{f.accordeCentimes === null ? 'aucun montant' : euros(f.accordeCentimes)}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : (
        <p>Aucun financement demandé.</p>
      )}
    </section>
  );
}

export function Pieces(props: { pieces: Piece[]; depose: boolean }) {
  return (
    <section aria-labelledby="titre-pieces">
      <h2 id="titre-pieces">Pièces</h2>
      <p class="hint">{props.depose ? 'Les documents de l’association valides le jour du dépôt.' : 'Les documents de l’association valides aujourd’hui.'}</p>
      {props.pieces.length ? (
        <ul>
          {props.pieces.map((p) => (
            <li>
              <a href={`/structure/documents/${p.id}`}>{LIBELLES_TYPE_DOCUMENT[p.type as TypeDocument] ?? p.type}</a> ({p.nomFichier}
              {p.valideJusquAu ? `, valide jusqu’au ${jourFr(p.valideJusquAu)}` : ''})
            </li>
          ))}
        </ul>
      ) : (
        <p>Aucun document valide.</p>
      )}
    </section>
  );
}
