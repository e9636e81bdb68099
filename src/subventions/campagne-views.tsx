import { dateFr, nomCourt } from '../contrat/model.ts';
import { FilAriane } from '../platform/ui/fil-ariane.tsx';
import { TableWrap } from '../platform/ui/table.tsx';
import { libellePriorite, type NoeudPriorite } from './campagne-form.ts';
import { euros, LIBELLES_ETAT_CAMPAGNE, type EtatCampagne } from './model.ts';
import type { CampagneAapRow, FinanceurRow } from './store.ts';

// The pages of the calls for projects everybody may read: the list of the contract's campaigns, and a
// campaign's page (what it funds, where, with whom, until when) with the way in for associations.

export const hrefCampagne = (annee: number) => `/appels-a-projets/${annee}`;
export const hrefConfiguration = (annee: number) => `/appels-a-projets/${annee}/configuration`;
export const HREF_NOUVELLE = '/appels-a-projets/nouvelle';

/** What the person may do around campaigns, as the links and buttons of these pages show it. */
export type Capacites = { configurer: boolean; instruire: boolean; programmer: boolean; deposer: boolean; anonyme: boolean };

export type TerritoireLu = { id: string; type: string; code: string; nom: string };
export const nomTerritoire = (t: { code: string; nom: string }) => `${t.nom} (${t.code})`;

export function Periode(props: { c: Pick<CampagneAapRow, 'ouverture' | 'cloture'> }) {
  return (
    <>
      du {dateFr(props.c.ouverture)} au {dateFr(props.c.cloture)} inclus
    </>
  );
}

function MentionDemonstration(props: { c: Pick<CampagneAapRow, 'demonstration'> }) {
  return props.c.demonstration ? <span class="badge badge-warning">démonstration</span> : null;
}

function LiensTravail(props: { annee: number; peut: Capacites }) {
  const { annee, peut } = props;
  return (
    <>
      {peut.instruire && <a href={`${hrefCampagne(annee)}/dossiers`}>Dossiers à instruire<span class="visually-hidden"> ({annee})</span></a>}
      {peut.instruire && peut.programmer && ' · '}
      {peut.programmer && <a href={`${hrefCampagne(annee)}/programmation`}>Programmation<span class="visually-hidden"> ({annee})</span></a>}
    </>
  );
}

export type LigneCampagne = Pick<CampagneAapRow, 'annee' | 'titre' | 'ouverture' | 'cloture' | 'demonstration'> & { etat: EtatCampagne };

export function ListeCampagnesPage(props: { campagnes: LigneCampagne[]; peut: Capacites }) {
  const { campagnes, peut } = props;
  const travail = peut.instruire || peut.programmer;
  return (
    <>
      <FilAriane miettes={[{ label: 'Appels à projets' }]} />
      <h1>Les appels à projets</h1>
      <p class="lead">
        Chaque année, l’appel à projets du contrat de ville finance les actions des associations dans les quartiers prioritaires. Une seule demande,
        instruite ensemble par l’État et la Ville.
      </p>
      {(peut.configurer || peut.deposer) && (
        <div class="actions">
          {peut.configurer && (
            <a class="button" href={HREF_NOUVELLE}>
              Nouvel appel à projets
            </a>
          )}
          {peut.deposer && <a href="/mes-dossiers">Mes dossiers de demande de subvention</a>}
        </div>
      )}
      {campagnes.length === 0 ? (
        <p>Aucun appel à projets n’est encore publié.</p>
      ) : (
        <TableWrap label="Appels à projets">
          <table>
            <caption>Les appels à projets du contrat, du plus récent au plus ancien</caption>
            <thead>
              <tr>
                <th scope="col">Année</th>
                <th scope="col">Appel à projets</th>
                <th scope="col">Dépôt des demandes</th>
                <th scope="col">État</th>
                {travail && <th scope="col">Travail</th>}
              </tr>
            </thead>
            <tbody>
              {campagnes.map((c) => (
                <tr>
                  <th scope="row">{c.annee}</th>
                  <td>
                    <a href={hrefCampagne(c.annee)}>{c.titre}</a> <MentionDemonstration c={c} />
                  </td>
                  <td>
                    <Periode c={c} />
                  </td>
                  <td>{LIBELLES_ETAT_CAMPAGNE[c.etat]}</td>
                  {travail && (
                    <td>
                      <LiensTravail annee={c.annee} peut={peut} />
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </>
  );
}

export type GroupeLu = { nom: string; territoires: TerritoireLu[]; membres: string };
export type CampagneData = {
  c: CampagneAapRow;
  etat: EtatCampagne;
  axes: { axe: NoeudPriorite; priorites: NoeudPriorite[] }[];
  territoires: TerritoireLu[];
  financeurs: FinanceurRow[];
  groupes: GroupeLu[];
  peut: Capacites;
};

/** Paragraphs as typed: a blank line starts a new one. */
export function Paragraphes(props: { texte: string }) {
  const paras = props.texte.split(/\r?\n\s*\r?\n/).map((p) => p.trim()).filter(Boolean);
  return <>{paras.map((p) => <p>{p.split(/\r?\n/).map((l, i) => (i ? [<br />, l] : l))}</p>)}</>;
}

function Deposer(props: { d: CampagneData }) {
  const { etat, peut, c } = props.d;
  if (etat !== 'ouverte') return null;
  return (
    <section class="notice" aria-labelledby="titre-deposer">
      <h2 id="titre-deposer">Déposer une demande</h2>
      <p>
        Les demandes sont reçues jusqu’au {dateFr(c.cloture)} inclus. Une seule demande en ligne, instruite par l’État et la Ville ensemble.
      </p>
      {peut.deposer ? (
        <p>
          <a class="button" href="/mes-dossiers">
            Déposer une demande
          </a>
        </p>
      ) : peut.anonyme ? (
        <ul class="actions plain-list">
          <li>
            <a class="button" href="/inscription/association">
              Inscrire mon association
            </a>
          </li>
          <li>
            <a href={`/connexion?retour=${encodeURIComponent('/mes-dossiers')}`}>Mon association a déjà un compte : se connecter</a>
          </li>
        </ul>
      ) : (
        <p>Les demandes se déposent depuis le compte d’une association.</p>
      )}
    </section>
  );
}

function Priorites(props: { axes: CampagneData['axes'] }) {
  if (!props.axes.length) return <p>Aucune priorité n’est encore retenue.</p>;
  return (
    <>
      {props.axes.map((g) => (
        <>
          <h3>
            {nomCourt(g.axe)} — {g.axe.libelle}
          </h3>
          <ul>
            {g.priorites.map((p) => (
              <li>
                <a href={`/contrat/arbre/${p.ref}`}>{libellePriorite(p)}</a>
              </li>
            ))}
          </ul>
        </>
      ))}
    </>
  );
}

function Territoires(props: { territoires: TerritoireLu[] }) {
  const qpv = props.territoires.filter((t) => t.type === 'qpv');
  const qva = props.territoires.filter((t) => t.type === 'qva');
  if (!qpv.length && !qva.length) return <p>Aucun territoire n’est encore retenu.</p>;
  return (
    <>
      {qpv.length > 0 && (
        <>
          <h3>Quartiers prioritaires ({qpv.length})</h3>
          <ul>
            {qpv.map((t) => (
              <li>
                <a href={`/quartiers/${t.code}`}>{nomTerritoire(t)}</a>
              </li>
            ))}
          </ul>
        </>
      )}
      {qva.length > 0 && (
        <>
          <h3>Quartiers de veille active ({qva.length})</h3>
          <ul>
            {qva.map((t) => (
              <li>{nomTerritoire(t)}</li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

export function TableFinanceurs(props: { financeurs: FinanceurRow[]; caption: string }) {
  const total = props.financeurs.reduce((s, f) => s + f.enveloppeCentimes, 0);
  return (
    <TableWrap label={props.caption}>
      <table>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">Financeur</th>
            <th scope="col">Service instructeur</th>
            <th scope="col" class="number">
              Enveloppe
            </th>
          </tr>
        </thead>
        <tbody>
          {props.financeurs.map((f) => (
            <tr>
              <th scope="row">{f.nom}</th>
              <td>{f.serviceInstructeur || '—'}</td>
              <td class="number">{euros(f.enveloppeCentimes)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total</th>
            <td></td>
            <td class="number">{euros(total)}</td>
          </tr>
        </tfoot>
      </table>
    </TableWrap>
  );
}

export function Membres(props: { texte: string }) {
  const lignes = props.texte.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  return lignes.length ? <>{lignes.map((l, i) => (i ? [<br />, l] : l))}</> : <>—</>;
}

export function CampagnePage(props: { d: CampagneData }) {
  const { c, etat, peut } = props.d;
  return (
    <>
      <FilAriane miettes={[{ label: 'Appels à projets', href: '/appels-a-projets' }, { label: String(c.annee) }]} />
      <h1>{c.titre}</h1>
      {c.demonstration && (
        <p class="notice notice-warning">
          <strong>Appel à projets de démonstration</strong> : ses associations et ses dossiers sont fictifs. {c.demonstration}
        </p>
      )}
      <p class="lead">
        Appel à projets {c.annee} — <strong>{LIBELLES_ETAT_CAMPAGNE[etat]}</strong>. Dépôt des demandes <Periode c={c} />.
      </p>
      <ul class="actions plain-list">
        {peut.configurer && (
          <li>
            <a href={hrefConfiguration(c.annee)}>Configurer l’appel à projets</a>
          </li>
        )}
        {(peut.instruire || peut.programmer) && (
          <li>
            <LiensTravail annee={c.annee} peut={peut} />
          </li>
        )}
        <li>
          <a href={`${hrefCampagne(c.annee)}/subventions.csv`} download>
            Les subventions accordées (CSV au format SCDL)
          </a>
        </li>
      </ul>
      <Deposer d={props.d} />
      {c.presentation && (
        <section aria-labelledby="titre-presentation">
          <h2 id="titre-presentation">Présentation</h2>
          <Paragraphes texte={c.presentation} />
        </section>
      )}
      <section aria-labelledby="titre-priorites">
        <h2 id="titre-priorites">Priorités du contrat financées</h2>
        <Priorites axes={props.d.axes} />
      </section>
      <section aria-labelledby="titre-territoires">
        <h2 id="titre-territoires">Territoires éligibles</h2>
        <p>Le projet doit bénéficier aux habitants de l’un de ces quartiers.</p>
        <Territoires territoires={props.d.territoires} />
      </section>
      {c.thematiques.length > 0 && (
        <section aria-labelledby="titre-thematiques">
          <h2 id="titre-thematiques">Thématiques</h2>
          <ul>
            {c.thematiques.map((t) => (
              <li>{t}</li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="titre-financeurs">
        <h2 id="titre-financeurs">Financeurs</h2>
        {props.d.financeurs.length ? <TableFinanceurs financeurs={props.d.financeurs} caption="Financeurs de l’appel à projets et leurs enveloppes" /> : <p>Aucun financeur n’est encore inscrit.</p>}
      </section>
      <section aria-labelledby="titre-equipes">
        <h2 id="titre-equipes">Équipes d’instruction</h2>
        {props.d.groupes.length ? (
          <TableWrap label="Équipes d’instruction">
            <table>
              <caption>Les équipes qui instruisent les dossiers, par territoire</caption>
              <thead>
                <tr>
                  <th scope="col">Équipe</th>
                  <th scope="col">Territoires</th>
                  <th scope="col">Membres</th>
                </tr>
              </thead>
              <tbody>
                {props.d.groupes.map((g) => (
                  <tr>
                    <th scope="row">{g.nom}</th>
                    <td>{g.territoires.map(nomTerritoire).join(', ') || '—'}</td>
                    <td>
                      <Membres texte={g.membres} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        ) : (
          <p>Aucune équipe d’instruction n’est encore constituée.</p>
        )}
      </section>
    </>
  );
}
