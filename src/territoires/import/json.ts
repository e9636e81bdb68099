// JSON.parse says a file is broken but not always where (V8's messages give a position only for some
// errors). This small scanner finds the first error with its line and column, in French, and the
// line where each feature of a GeoJSON begins, so that an error in a feature names its line.

export type JsonPosition = { ligne: number; colonne: number };
export type JsonSyntaxError = JsonPosition & { message: string };

export function positionAt(text: string, offset: number): JsonPosition {
  let ligne = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      ligne++;
      start = i + 1;
    }
  }
  return { ligne, colonne: offset - start + 1 };
}

class Stop extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

function describe(text: string, i: number): string {
  return i >= text.length ? 'fin du fichier inattendue' : `caractère inattendu « ${text[i]} »`;
}

/** The first syntax error of a JSON text, or null when it is valid. */
export function findJsonError(text: string): JsonSyntaxError | null {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const fail = (message: string): never => {
    throw new Stop(i, message);
  };
  const string = () => {
    i++; // opening quote
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return;
      }
      if (c < 32) fail('caractère de contrôle dans une chaîne (guillemet fermant manquant ?)');
      if (c === 92) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
            i++;
            fail('séquence \\u invalide');
          }
          i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) {
          i++;
          fail('séquence d’échappement invalide');
        }
        i += 2;
        continue;
      }
      i++;
    }
    fail('chaîne non terminée (guillemet fermant manquant)');
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 64));
    if (!m || m[0] === '' || m[0] === '-') fail(describe(text, i));
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') return object();
    if (c === '[') return array();
    if (c === '"') return string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return number();
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return;
      }
    }
    fail(c === undefined ? 'fin du fichier inattendue' : `valeur attendue, ${describe(text, i)}`);
  };
  const object = () => {
    i++;
    ws();
    if (text[i] === '}') {
      i++;
      return;
    }
    for (;;) {
      ws();
      if (text[i] !== '"') fail(`nom de propriété entre guillemets attendu, ${describe(text, i)}`);
      string();
      ws();
      if (text[i] !== ':') fail(`« : » attendu après le nom de propriété, ${describe(text, i)}`);
      i++;
      value();
      ws();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '}') {
        i++;
        return;
      }
      fail(`« , » ou « } » attendu après une valeur, ${describe(text, i)}`);
    }
  };
  const array = () => {
    i++;
    ws();
    if (text[i] === ']') {
      i++;
      return;
    }
    for (;;) {
      value();
      ws();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === ']') {
        i++;
        return;
      }
      fail(`« , » ou « ] » attendu après une valeur, ${describe(text, i)}`);
    }
  };
  try {
    if (text.trim() === '') fail('le fichier est vide');
    value();
    ws();
    if (i < text.length) fail(`contenu après la fin du document, ${describe(text, i)}`);
    return null;
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    return { ...positionAt(text, e.offset), message: e.message };
  }
}

/**
 * The line on which each element of the top-level "features" array starts, in order. Only called
 * on a text JSON.parse accepted, so the scan can be simple: strings are skipped, depth is counted.
 */
export function featureLines(text: string): number[] {
  const lines: number[] = [];
  let ligne = 1;
  let depth = 0;
  let lastKey: string | null = null;
  let featuresDepth = -1;
  let expectElement = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') {
      ligne++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') continue;
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (depth === 1) lastKey = text.slice(i + 1, j);
      if (depth === featuresDepth && expectElement) {
        lines.push(ligne);
        expectElement = false;
      }
      i = j;
      continue;
    }
    if (depth === featuresDepth && expectElement && c !== ']') {
      lines.push(ligne);
      expectElement = false;
    }
    if (c === '{' || c === '[') {
      depth++;
      if (c === '[' && depth === 2 && lastKey === 'features' && featuresDepth === -1) {
        featuresDepth = depth;
        expectElement = true;
      }
    } else if (c === '}' || c === ']') {
      if (depth === featuresDepth && c === ']') featuresDepth = -2;
      depth--;
    } else if (c === ',' && depth === featuresDepth) {
      expectElement = true;
    }
  }
  return lines;
}
