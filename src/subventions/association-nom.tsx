import { mentionFictive } from './model.ts';

/** An association's name, with a visible « fictive » mention for the demonstration's associations (unless the name says it). */
export function NomAssociation(props: { a: { nom: string; fictive: boolean } }) {
  return (
    <>
      {props.a.nom}
      {mentionFictive(props.a) && (
        <>
          {' '}
          <span class="badge badge-warning">fictive</span>
        </>
      )}
    </>
  );
}
