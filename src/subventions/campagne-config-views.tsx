import type { ComponentChildren } from 'preact';
import { nomCourt } from '../contrat/model.ts';
import { CsrfField, ErrorSummary, TextAreaField, type FieldErrors } from '../platform/ui/forms.tsx';
import { FilAriane } from '../platform/ui/fil-ariane.tsx';
import { Cases, ChampsFinanceur, ChampsGeneraux, ChampsGroupe, type Saisie } from './campagne-champs-views.tsx';
import { TableWrap } from '../platform/ui/table.tsx';
import { libellePriorite, LIBELLES_CAMPAGNE, LIBELLES_FINANCEUR, LIBELLES_GROUPE, MAX_THEMATIQUES, type NoeudPriorite } from './campagne-form.ts';
import { hrefCampagne, hrefConfiguration, Membres, nomTerritoire, Periode, type TerritoireLu } from './campagne-views.tsx';
import { euros } from './model.ts';
import type { CampagneAapRow, FinanceurRow, GroupeRow } from './store.ts';

// The direction de projet's configuration of a call for projects, in
// sections that each save on their own (general, priorities, territories, themes, funders, teams).
// A section sent back with errors shows them where it stands, with everything typed or ticked kept.

export type NomSection = 'general' | 'priorites' | 'territoires' | 'thematiques' | 'financeurs' | 'groupes';

/** The section sent back: what was typed or ticked, its errors, or a message (a conflict, a refusal). */
export type EtatSection = { nom: NomSection; v: Saisie; coches: string[]; errors: FieldErrors; message?: string };

export type ConfigData = {
  c: CampagneAapRow;
  axes: { axe: NoeudPriorite; priorites: NoeudPriorite[] }[];
  territoires: TerritoireLu[];
  financeurs: FinanceurRow[];
  groupes: GroupeRow[];
  section: EtatSection | null;
};

function Alerte(props: { id: string; titre: string; message: string }) {
  return (
    <div class="error-summary" role="alert" aria-labelledby={`${props.id}-titre`} tabIndex={-1} id={props.id} autofocus>
      <h3 id={`${props.id}-titre`}>{props.titre}</h3>
      <p>{props.message}</p>
    </div>
  );
}

/** The section's own errors or message, shown at its top; nothing for the other sections. */
function Retour(props: { d: ConfigData; nom: NomSection; labels: Record<string, string> }) {
  const s = props.d.section;
  if (!s || s.nom !== props.nom) return null;
  return (
    <>
      {s.message && <Alerte id={`alerte-${s.nom}`} titre="Rien n’a été enregistré" message={s.message} />}
      <ErrorSummary errors={s.errors} labels={props.labels} />
    </>
  );
}

function Section(props: { id: NomSection; titre: string; children: ComponentChildren }) {
  return (
    <section aria-labelledby={`titre-${props.id}`}>
      <h2 id={`titre-${props.id}`}>{props.titre}</h2>
      {props.children}
    </section>
  );
}

function FormSection(props: { action: string; csrf: string; version?: number; bouton: string; children: ComponentChildren }) {
  return (
    <form method="post" action={props.action} novalidate>
      <CsrfField token={props.csrf} />
      {props.version !== undefined && <input type="hidden" name="version" value={String(props.version)} />}
      {props.children}
      <div class="actions">
        <button type="submit" class="button">
          {props.bouton}
        </button>
      </div>
    </form>
  );
}

function General(props: { d: ConfigData; csrf: string }) {
  const { c, section } = props.d;
  const propre = section?.nom === 'general' ? section : null;
  const v = propre?.v ?? { titre: c.titre, ouverture: c.ouverture, cloture: c.cloture, presentation: c.presentation };
  return (
    <Section id="general" titre="Informations générales">
      <Retour d={props.d} nom="general" labels={LIBELLES_CAMPAGNE} />
      {propre?.message && (
        <p>
          Actuellement enregistré : « {c.titre} », dépôt des demandes <Periode c={c} />.
        </p>
      )}
      <FormSection action={`${hrefConfiguration(c.annee)}/general`} csrf={props.csrf} version={c.version} bouton="Enregistrer les informations générales">
        <ChampsGeneraux v={v} errors={propre?.errors ?? {}} />
      </FormSection>
    </Section>
  );
}

function Priorites(props: { d: ConfigData; csrf: string }) {
  const { c, section, axes } = props.d;
  const propre = section?.nom === 'priorites' ? section : null;
  const coches = propre?.coches ?? c.prioriteRefs;
  return (
    <Section id="priorites" titre="Priorités du contrat">
      <Retour d={props.d} nom="priorites" labels={LIBELLES_CAMPAGNE} />
      <FormSection action={`${hrefConfiguration(c.annee)}/priorites`} csrf={props.csrf} version={c.version} bouton="Enregistrer les priorités">
        <fieldset class={propre?.errors.priorites ? 'field field-error' : 'field'} aria-describedby={propre?.errors.priorites ? 'erreur-priorites' : undefined}>
          <legend>Les priorités de l’arbre du contrat que l’appel à projets finance</legend>
          {propre?.errors.priorites && (
            <p class="error-message" id="erreur-priorites">
              <span class="visually-hidden">Erreur : </span>
              {propre.errors.priorites}
            </p>
          )}
          {axes.map((g, i) => (
            <Cases
              name="priorites"
              prefixe={i === 0 ? undefined : `-axe${i}`}
              legend={`${nomCourt(g.axe)} — ${g.axe.libelle}`}
              cases={g.priorites.map((p) => ({ value: p.ref, label: libellePriorite(p) }))}
              coches={coches}
            />
          ))}
        </fieldset>
      </FormSection>
    </Section>
  );
}

function Territoires(props: { d: ConfigData; csrf: string }) {
  const { c, section, territoires } = props.d;
  const propre = section?.nom === 'territoires' ? section : null;
  const coches = propre?.coches ?? c.territoireIds;
  const cases = (type: string) => territoires.filter((t) => t.type === type).map((t) => ({ value: t.id, label: nomTerritoire(t) }));
  return (
    <Section id="territoires" titre="Territoires éligibles">
      <Retour d={props.d} nom="territoires" labels={LIBELLES_CAMPAGNE} />
      <FormSection action={`${hrefConfiguration(c.annee)}/territoires`} csrf={props.csrf} version={c.version} bouton="Enregistrer les territoires">
        <Cases name="territoires" legend="Quartiers prioritaires (géographie 2015)" cases={cases('qpv')} coches={coches} error={propre?.errors.territoires} />
        <Cases name="territoires" prefixe="-qva" legend="Quartiers de veille active" cases={cases('qva')} coches={coches} />
      </FormSection>
    </Section>
  );
}

function Thematiques(props: { d: ConfigData; csrf: string }) {
  const { c, section } = props.d;
  const propre = section?.nom === 'thematiques' ? section : null;
  return (
    <Section id="thematiques" titre="Thématiques">
      <Retour d={props.d} nom="thematiques" labels={LIBELLES_CAMPAGNE} />
      <FormSection action={`${hrefConfiguration(c.annee)}/thematiques`} csrf={props.csrf} version={c.version} bouton="Enregistrer les thématiques">
        <TextAreaField
          name="thematiques"
          label={LIBELLES_CAMPAGNE.thematiques}
          hint={`Une thématique par ligne, au plus ${MAX_THEMATIQUES} : le comité de programmation totalise les dossiers par thématique.`}
          value={propre?.v.thematiques ?? c.thematiques.join('\n')}
          errors={propre?.errors ?? {}}
          maxLength={5000}
        />
      </FormSection>
    </Section>
  );
}

function Financeurs(props: { d: ConfigData; csrf: string }) {
  const { c, section, financeurs } = props.d;
  const propre = section?.nom === 'financeurs' ? section : null;
  const base = hrefConfiguration(c.annee);
  const total = financeurs.reduce((s, f) => s + f.enveloppeCentimes, 0);
  return (
    <Section id="financeurs" titre="Financeurs">
      <Retour d={props.d} nom="financeurs" labels={LIBELLES_FINANCEUR} />
      {financeurs.length === 0 ? (
        <p>Aucun financeur n’est encore inscrit.</p>
      ) : (
        <TableWrap label="Financeurs inscrits">
          <table>
            <caption>Les financeurs inscrits et leurs enveloppes</caption>
            <thead>
              <tr>
                <th scope="col">Financeur</th>
                <th scope="col">Code</th>
                <th scope="col">Service instructeur</th>
                <th scope="col">SIRET</th>
                <th scope="col" class="number">
                  Enveloppe
                </th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {financeurs.map((f) => (
                <tr>
                  <th scope="row">{f.nom}</th>
                  <td>{f.code}</td>
                  <td>{f.serviceInstructeur || '—'}</td>
                  <td>{f.siret ?? '—'}</td>
                  <td class="number">{euros(f.enveloppeCentimes)}</td>
                  <td>
                    <a href={`${base}/financeurs/${f.id}`}>
                      Modifier<span class="visually-hidden"> {f.nom}</span>
                    </a>{' '}
                    <form method="post" action={`${base}/financeurs/${f.id}/retirer`} class="inline-form">
                      <CsrfField token={props.csrf} />
                      <button type="submit" class="button button-secondary">
                        Retirer<span class="visually-hidden"> {f.nom}</span>
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">Total des enveloppes</th>
                <td colSpan={3}></td>
                <td class="number">{euros(total)}</td>
                <td></td>
              </tr>
            </tfoot>
          </table>
        </TableWrap>
      )}
      <h3>Ajouter un financeur</h3>
      <FormSection action={`${base}/financeurs`} csrf={props.csrf} bouton="Ajouter le financeur">
        <ChampsFinanceur v={propre?.message ? {} : (propre?.v ?? {})} errors={propre?.errors ?? {}} />
      </FormSection>
    </Section>
  );
}

function Groupes(props: { d: ConfigData; csrf: string }) {
  const { c, section, groupes, territoires } = props.d;
  const propre = section?.nom === 'groupes' ? section : null;
  const base = hrefConfiguration(c.annee);
  const eligibles = territoires.filter((t) => c.territoireIds.includes(t.id));
  const noms = (ids: string[]) => territoires.filter((t) => ids.includes(t.id)).map(nomTerritoire).join(', ') || '—';
  return (
    <Section id="groupes" titre="Équipes d’instruction">
      <Retour d={props.d} nom="groupes" labels={LIBELLES_GROUPE} />
      {groupes.length === 0 ? (
        <p>Aucune équipe d’instruction n’est encore constituée.</p>
      ) : (
        <TableWrap label="Équipes d’instruction constituées">
          <table>
            <caption>Les équipes d’instruction et leurs territoires</caption>
            <thead>
              <tr>
                <th scope="col">Équipe</th>
                <th scope="col">Territoires</th>
                <th scope="col">Membres</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {groupes.map((g) => (
                <tr>
                  <th scope="row">{g.nom}</th>
                  <td>{noms(g.territoireIds)}</td>
                  <td>
                    <Membres texte={g.membres} />
                  </td>
                  <td>
                    <a href={`${base}/groupes/${g.id}`}>
                      Modifier<span class="visually-hidden"> {g.nom}</span>
                    </a>{' '}
                    <form method="post" action={`${base}/groupes/${g.id}/retirer`} class="inline-form">
                      <CsrfField token={props.csrf} />
                      <button type="submit" class="button button-secondary">
                        Retirer<span class="visually-hidden"> {g.nom}</span>
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      <h3>Ajouter une équipe</h3>
      {eligibles.length === 0 ? (
        <p>Choisissez d’abord les territoires éligibles : une équipe instruit les dossiers de certains d’entre eux.</p>
      ) : (
        <FormSection action={`${base}/groupes`} csrf={props.csrf} bouton="Ajouter l’équipe">
          <ChampsGroupe v={propre?.v ?? {}} coches={propre?.coches ?? []} errors={propre?.errors ?? {}} eligibles={eligibles} />
        </FormSection>
      )}
    </Section>
  );
}

export function ConfigurationPage(props: { d: ConfigData; csrf: string }) {
  const { c } = props.d;
  return (
    <>
      <FilAriane miettes={[{ label: 'Appels à projets', href: '/appels-a-projets' }, { label: String(c.annee), href: hrefCampagne(c.annee) }, { label: 'Configuration' }]} />
      <h1>Configurer l’appel à projets {c.annee}</h1>
      <p class="lead">
        {c.titre} — dépôt des demandes <Periode c={c} />. <a href={hrefCampagne(c.annee)}>Voir la page publique</a>
      </p>
      <nav aria-label="Sections de la configuration">
        <ul>
          <li><a href="#titre-general">Informations générales</a></li>
          <li><a href="#titre-priorites">Priorités du contrat</a></li>
          <li><a href="#titre-territoires">Territoires éligibles</a></li>
          <li><a href="#titre-thematiques">Thématiques</a></li>
          <li><a href="#titre-financeurs">Financeurs</a></li>
          <li><a href="#titre-groupes">Équipes d’instruction</a></li>
        </ul>
      </nav>
      <General d={props.d} csrf={props.csrf} />
      <Priorites d={props.d} csrf={props.csrf} />
      <Territoires d={props.d} csrf={props.csrf} />
      <Thematiques d={props.d} csrf={props.csrf} />
      <Financeurs d={props.d} csrf={props.csrf} />
      <Groupes d={props.d} csrf={props.csrf} />
    </>
  );
}

/** The page of one funder or one team, to change it. */
