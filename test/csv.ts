// Reads a CSV as a strict RFC 4180 reader would (quoted fields, doubled quotes, CRLF records), to check
// what an export writes without trusting the writer's own code. Throws on a malformed file.

export function lireCsv(texte: string, separateur: string): string[][] {
  const lignes: string[][] = [];
  let ligne: string[] = [];
  let champ = '';
  let i = 0;
  const finDeChamp = () => {
    ligne.push(champ);
    champ = '';
  };
  while (i < texte.length) {
    if (texte[i] === '"' && champ === '') {
      i++;
      for (;;) {
        if (i >= texte.length) throw new Error('Guillemet non fermé');
        if (texte[i] === '"') {
          if (texte[i + 1] === '"') {
            champ += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        champ += texte[i++];
      }
      if (i < texte.length && texte[i] !== separateur && texte.slice(i, i + 2) !== '\r\n') throw new Error(`Texte après un champ entre guillemets, position ${i}`);
      continue;
    }
    if (texte[i] === separateur) {
      finDeChamp();
      i++;
    } else if (texte.slice(i, i + 2) === '\r\n') {
      finDeChamp();
      lignes.push(ligne);
      ligne = [];
      i += 2;
    } else if (texte[i] === '"' || texte[i] === '\n' || texte[i] === '\r') {
      throw new Error(`Caractère ${JSON.stringify(texte[i])} hors guillemets, position ${i}`);
    } else {
      champ += texte[i++];
    }
  }
  if (champ !== '' || ligne.length > 0) throw new Error('Dernier enregistrement sans fin de ligne');
  return lignes;
}
