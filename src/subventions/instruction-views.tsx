import { NomAssociation } from './association-nom.tsx';
import { FilAriane } from '../platform/ui/fil-ariane.tsx';
import { ErrorSummary, SelectField, TextField, type FieldErrors, type Option } from '../platform/ui/forms.tsx';
import { TableWrap } from '../platform/ui/table.tsx';
import { euros, LIBELLES_STATUT_DOSSIER, type StatutDossier } from './model.ts';
import { libelleAvis, STATUTS_INSTRUCTION, type FiltresInstruction, type LigneInstruction } from './instruction-model.ts';

// The instructors' list of a campaign: the files of their territories, filtered, counted per state.

export type ListeInstruction = {
  annee: number;
  titreCampagne: string;
  filtres: FiltresInstruction;
  erreurs: FieldErrors;
  quartiers: Option[];
  financeurs: Option[];
  comptes: { statut: StatutDossier; nombre: number }[];
  /** How many files the person may instruct, before the filters. */
  total: number;
  lignes: LigneInstruction[];
};

const LIBELLES_FILTRES = { statut: 'Statut', qpv: 'Quartier prioritaire', financeur: 'Financeur sollicité', texte: 'Texte' };
const pluriel = (n: number, mot: string) => `${n} ${mot}${n > 1 ? 's' : ''}`;

export function InstructionPage(props: { l: ListeInstruction }) {
  const { l } = props;
  const href = `/appels-a-projets/${l.annee}/dossiers`;
  return (
    <>
      <FilAriane miettes={[{ label: 'Appels à projets', href: '/appels-a-projets' }, { label: l.titreCampagne, href: `/appels-a-projets/${l.annee}` }, { label: 'Dossiers à instruire' }]} />
      <h1>Dossiers à instruire — {l.titreCampagne}</h1>
      <ErrorSummary errors={l.erreurs} labels={LIBELLES_FILTRES} />
      <p class="lead">
        {l.total === 0 ? 'Aucun dossier déposé dans vos territoires pour cet appel à projets.' : `${pluriel(l.total, 'dossier')} déposé${l.total > 1 ? 's' : ''} dans vos territoires.`}
      </p>
      {l.comptes.length > 0 && (
        <section aria-labelledby="titre-comptes">
          <h2 id="titre-comptes">Par statut</h2>
          <ul>
            {l.comptes.map((c) => (
              <li>
                <a href={`${href}?statut=${c.statut}`}>{LIBELLES_STATUT_DOSSIER[c.statut]}</a> : {c.nombre}
              </li>
            ))}
          </ul>
        </section>
      )}
      <form method="get" action={href} class="filters" role="search" aria-label="Filtrer les dossiers" novalidate>
        <SelectField
          name="statut"
          label={LIBELLES_FILTRES.statut}
          options={STATUTS_INSTRUCTION.map((s) => ({ value: s, label: LIBELLES_STATUT_DOSSIER[s] }))}
          placeholder="Tous les statuts"
          value={l.filtres.statut}
          errors={l.erreurs}
        />
        <SelectField name="qpv" label={LIBELLES_FILTRES.qpv} options={l.quartiers} placeholder="Tous les quartiers" value={l.filtres.qpv} errors={l.erreurs} />
        <SelectField name="financeur" label={LIBELLES_FILTRES.financeur} options={l.financeurs} placeholder="Tous les financeurs" value={l.filtres.financeur} errors={l.erreurs} />
        <TextField name="texte" label={LIBELLES_FILTRES.texte} type="search" hint="Une référence, un mot du titre ou le nom de l’association." value={l.filtres.texte} errors={l.erreurs} />
        <button type="submit" class="button">
          Filtrer
        </button>
      </form>
      {l.lignes.length ? (
        <TableWrap label="Dossiers à instruire">
          <table>
            <caption>Dossiers à instruire ({l.lignes.length === l.total ? pluriel(l.total, 'dossier') : `${l.lignes.length} sur ${l.total}`})</caption>
            <thead>
              <tr>
                <th scope="col">Référence</th>
                <th scope="col">Association</th>
                <th scope="col">Titre</th>
                <th scope="col">Quartiers</th>
                <th scope="col">Statut</th>
                <th scope="col">Total demandé aux financeurs de l’appel</th>
                <th scope="col">Avis</th>
              </tr>
            </thead>
            <tbody>
              {l.lignes.map((d) => (
                <tr>
                  <th scope="row">
                    <a href={`/dossiers/${d.id}`}>{d.reference}</a>
                  </th>
                  <td>
                    <NomAssociation a={{ nom: d.association, fictive: d.fictive }} />
                  </td>
                  <td>{d.titre}</td>
                  <td>{d.qpv.map((q) => q.nom).join(', ') || 'aucun'}</td>
                  <td>{LIBELLES_STATUT_DOSSIER[d.statut]}</td>
                  <td>{euros(d.demandeCentimes)}</td>
                  <td>{d.avis.length ? d.avis.map((a) => `${a.financeur} : ${libelleAvis(a.avis).toLowerCase()}`).join(' ; ') : 'aucun'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : (
        l.total > 0 && <p>Aucun dossier ne correspond à ces filtres.</p>
      )}
    </>
  );
}
