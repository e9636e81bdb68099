import { TextField, type FieldErrors } from '../platform/ui/forms.tsx';
import { TableWrap } from '../platform/ui/table.tsx';
import { euros, type Equilibre } from './model.ts';
import { COMPTES_CHARGES, COMPTES_PRODUITS, MAX_AUTRES_FINANCEURS, estContribution, type CompteCerfa } from './demande-model.ts';
import { nomAutre, nomCharge, nomFinanceur, nomProduit, type SaisieDemande } from './demande-form.ts';

// The budget prévisionnel of CERFA 12156: charges and produits by account, one amount asked per funder of
// the campaign plus other co-funders, voluntary contributions apart; the totals as last saved.

export type Financeur = { id: string; nom: string };

/** The label of each amount field, for the error summary. */
export function libellesBudget(financeurs: readonly Financeur[]): Record<string, string> {
  const l: Record<string, string> = {};
  for (const c of COMPTES_CHARGES) l[nomCharge(c.compte)] = `Charges, ${c.compte} ${c.libelle}`;
  for (const c of COMPTES_PRODUITS) l[nomProduit(c.compte)] = `Produits, ${c.compte} ${c.libelle}`;
  for (const f of financeurs) l[nomFinanceur(f.id)] = `Subvention demandée à ${f.nom}`;
  for (let i = 0; i < MAX_AUTRES_FINANCEURS; i++) {
    l[nomAutre(i, 'Libelle')] = `Autre cofinanceur ${i + 1}, nom`;
    l[nomAutre(i, 'Montant')] = `Autre cofinanceur ${i + 1}, montant`;
  }
  return l;
}

function Montant(props: { name: string; label: string; v: SaisieDemande; errors: FieldErrors }) {
  return <TextField name={props.name} label={props.label} value={props.v.valeurs[props.name]} errors={props.errors} />;
}

function Comptes(props: { comptes: readonly CompteCerfa[]; nom: (c: string) => string; v: SaisieDemande; errors: FieldErrors }) {
  return (
    <>
      {props.comptes.map((c) => (
        <Montant name={props.nom(c.compte)} label={`${c.compte} — ${c.libelle}`} v={props.v} errors={props.errors} />
      ))}
    </>
  );
}

export function BudgetFieldsets(props: { v: SaisieDemande; errors: FieldErrors; financeurs: readonly Financeur[] }) {
  const { v, errors } = props;
  const charges = COMPTES_CHARGES.filter((c) => !estContribution(c.compte));
  const emplois = COMPTES_CHARGES.filter((c) => estContribution(c.compte));
  const avant74 = COMPTES_PRODUITS.filter((c) => c.compte < '74');
  const apres74 = COMPTES_PRODUITS.filter((c) => c.compte > '74' && !estContribution(c.compte));
  const ressources = COMPTES_PRODUITS.filter((c) => estContribution(c.compte));
  return (
    <>
      <p class="hint">Montants en euros, par exemple « 12 500,50 ». Laissez vide une ligne sans montant. Les totaux se mettent à jour à chaque enregistrement.</p>
      <fieldset class="field">
        <legend>Charges</legend>
        <Comptes comptes={charges} nom={nomCharge} v={v} errors={errors} />
      </fieldset>
      <fieldset class="field">
        <legend>Produits</legend>
        <Comptes comptes={avant74} nom={nomProduit} v={v} errors={errors} />
        <fieldset class="field" id="section-subventions">
          <legend>74 — Subventions d’exploitation demandées</legend>
          {props.financeurs.map((f) => (
            <Montant name={nomFinanceur(f.id)} label={`Montant demandé à ${f.nom}`} v={v} errors={errors} />
          ))}
          <p class="hint">Autres cofinanceurs (autre subvention, fondation…), hors financeurs de l’appel :</p>
          {Array.from({ length: MAX_AUTRES_FINANCEURS }, (_, i) => (
            <>
              <TextField name={nomAutre(i, 'Libelle')} label={`Autre cofinanceur ${i + 1} : nom`} value={v.valeurs[nomAutre(i, 'Libelle')]} errors={errors} />
              <Montant name={nomAutre(i, 'Montant')} label={`Autre cofinanceur ${i + 1} : montant demandé`} v={v} errors={errors} />
            </>
          ))}
        </fieldset>
        <Comptes comptes={apres74} nom={nomProduit} v={v} errors={errors} />
      </fieldset>
      <fieldset class="field">
        <legend>Contributions volontaires en nature</legend>
        <p class="hint">Emplois (comptes 86) et ressources (comptes 87) : leurs totaux doivent être égaux.</p>
        <Comptes comptes={emplois} nom={nomCharge} v={v} errors={errors} />
        <Comptes comptes={ressources} nom={nomProduit} v={v} errors={errors} />
      </fieldset>
    </>
  );
}

export function Totaux(props: { e: Equilibre }) {
  const { e } = props;
  return (
    <TableWrap label="Totaux du budget prévisionnel">
      <table>
        <caption>Totaux du budget prévisionnel, tel qu’il est enregistré</caption>
        <tbody>
          <tr>
            <th scope="row">Total des charges</th>
            <td class="nombre">{euros(e.charges)}</td>
          </tr>
          <tr>
            <th scope="row">Total des produits</th>
            <td class="nombre">{euros(e.produits)}</td>
          </tr>
          <tr>
            <th scope="row">Écart (charges moins produits)</th>
            <td class="nombre">{e.ecart === 0 ? 'Équilibré' : euros(e.ecart).replace(/^-/, '−')}</td>
          </tr>
          <tr>
            <th scope="row">Contributions volontaires : emplois (86)</th>
            <td class="nombre">{euros(e.contributionsCharges)}</td>
          </tr>
          <tr>
            <th scope="row">Contributions volontaires : ressources (87)</th>
            <td class="nombre">{euros(e.contributionsProduits)}</td>
          </tr>
        </tbody>
      </table>
    </TableWrap>
  );
}
