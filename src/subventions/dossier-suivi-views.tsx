import { CsrfField } from '../platform/ui/forms.tsx';
import { TableWrap } from '../platform/ui/table.tsx';
import { euros, LIBELLES_STATUT_DOSSIER, TRANSITIONS_DOSSIER, type EtapeDossier, type StatutDossier } from './model.ts';
import { MAX_TEXTE, TEXTE_ETAPE } from './instruction-model.ts';
import { ChampTexteLong, valeursDe, type Saisie } from './dossier-champs.tsx';
import type { DossierComplet, EvenementDossierRow, FinanceurRow } from './store.ts';
import type { MessageRow } from './instruction-store.ts';
import { momentParis } from '../platform/dates.ts';

// The life of a file as both sides follow it: the conversation, the dated steps, the decision, and the
// association's answer when it is asked for a correction.

export const quand = momentParis;
const libelleStatut = (s: string) => LIBELLES_STATUT_DOSSIER[s as StatutDossier] ?? s;
const COTES: Record<string, string> = { association: 'Association', instruction: 'Équipe d’instruction' };

export function Echanges(props: { dossierId: string; messages: MessageRow[]; ecrire: boolean; saisie: Saisie | null; csrf: string }) {
  return (
    <section aria-labelledby="titre-echanges">
      <h2 id="titre-echanges">Échanges</h2>
      {props.messages.length ? (
        <ol class="plain-list">
          {props.messages.map((m) => (
            <li class="card">
              <p class="hint">
                {COTES[m.cote] ?? m.cote} — {m.auteur}, le {quand(m.le)}
              </p>
              <p>{m.texte}</p>
            </li>
          ))}
        </ol>
      ) : (
        <p>Aucun message pour l’instant.</p>
      )}
      {props.ecrire && (
        <form method="post" action={`/dossiers/${props.dossierId}/messages`} novalidate>
          <CsrfField token={props.csrf} />
          <ChampTexteLong
            formulaire="message"
            name="texte"
            label="Votre message"
            value={valeursDe(props.saisie, 'message').texte}
            erreurs={props.saisie?.erreurs ?? {}}
            maxLength={MAX_TEXTE}
            required
          />
          <button type="submit" class="button">
            Envoyer le message
          </button>
        </form>
      )}
    </section>
  );
}

export function Historique(props: { evenements: EvenementDossierRow[] }) {
  return (
    <section aria-labelledby="titre-historique">
      <h2 id="titre-historique">Historique</h2>
      {props.evenements.length ? (
        <TableWrap label="Historique du dossier">
          <table>
            <caption>Historique du dossier</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Étape</th>
                <th scope="col">Statut</th>
                <th scope="col">Par</th>
                <th scope="col">Commentaire</th>
              </tr>
            </thead>
            <tbody>
              {props.evenements.map((e) => (
                <tr>
                  <td>{quand(e.le)}</td>
                  <th scope="row">{TRANSITIONS_DOSSIER[e.etape as EtapeDossier]?.libelle ?? e.etape}</th>
                  <td>
                    {libelleStatut(e.de)} → {libelleStatut(e.vers)}
                  </td>
                  <td>{e.par}</td>
                  <td>{e.commentaire ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : (
        <p>Le dossier n’a pas encore été déposé.</p>
      )}
    </section>
  );
}

export function Decision(props: { d: DossierComplet; financeurs: FinanceurRow[] }) {
  const { d } = props;
  const accordes = d.financements.filter((f) => f.accordeCentimes !== null && f.accordeCentimes > 0);
  const nom = (id: string | null, libelle: string) => props.financeurs.find((f) => f.id === id)?.nom ?? libelle;
  return (
    <section aria-labelledby="titre-decision">
      <h2 id="titre-decision">Décision</h2>
      <p>
        <strong>{d.statut === 'accepte' ? 'Subvention accordée' : 'Demande refusée'}</strong>
        {d.decideLe ? `, le ${quand(d.decideLe)}` : ''}.
      </p>
      {accordes.length > 0 && (
        <ul>
          {accordes.map((f) => (
            <li>
              {nom(f.financeurId, f.libelle)} : {euros(f.accordeCentimes!)}
            </li>
          ))}
        </ul>
      )}
      {d.decisionMotif && <p>Motif : {d.decisionMotif}</p>}
      <p>
        <a href={`/dossiers/${d.id}/lettre.pdf`}>Lettre de décision (PDF)</a>
      </p>
    </section>
  );
}

/** The association is asked for a correction: the instructors' request, where to correct, the answer form. */
export function Complement(props: { d: DossierComplet; demande: string | null; saisie: Saisie | null; csrf: string }) {
  const t = TEXTE_ETAPE.completer!;
  return (
    <section class="notice notice-warning" aria-labelledby="titre-complement">
      <h2 id="titre-complement">L’équipe d’instruction vous demande un complément</h2>
      {props.demande && <p>{props.demande}</p>}
      <p>
        <a href={`/dossiers/${props.d.id}/modifier`}>Modifier la demande</a> si besoin, puis envoyez votre réponse : le dossier retourne en instruction.
      </p>
      <form method="post" action={`/dossiers/${props.d.id}/etapes/completer`} novalidate>
        <CsrfField token={props.csrf} />
        <input type="hidden" name="version" value={String(props.d.version)} />
        <ChampTexteLong
          formulaire="etape-completer"
          name="commentaire"
          label={t.libelle}
          aide={t.aide}
          value={valeursDe(props.saisie, 'etape-completer').commentaire}
          erreurs={props.saisie?.erreurs ?? {}}
          maxLength={MAX_TEXTE}
          required
        />
        <button type="submit" class="button">
          {TRANSITIONS_DOSSIER.completer.libelle}
        </button>
      </form>
    </section>
  );
}
