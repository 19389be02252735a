/** One sample line of the text exposition format, with its label values unescaped. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/**
 * A small reader of the Prometheus text format for assertions: it unescapes label values (\\, \", \n) so tests
 * compare against the original strings, not against what the writer escaped.
 */
export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const nameEnd = line.search(/[{ ]/);
    const name = line.slice(0, nameEnd);
    const labels: Record<string, string> = {};
    let position = nameEnd;
    if (line[position] === '{') {
      position++;
      while (line[position] !== '}') {
        const equals = line.indexOf('=', position);
        const label = line.slice(position, equals);
        position = equals + 2; // past ="
        let value = '';
        while (line[position] !== '"') {
          if (line[position] === '\\') {
            const next = line[position + 1];
            value += next === 'n' ? '\n' : next;
            position += 2;
          } else {
            value += line[position];
            position++;
          }
        }
        labels[label] = value;
        position++; // past the closing quote
        if (line[position] === ',') position++;
      }
      position++; // past }
    }
    samples.push({ name, labels, value: Number(line.slice(position).trim().split(' ')[0]) });
  }
  return samples;
}

/** The value of the one sample of `name` whose labels include `labels`; throws when there is none or several. */
export function sampleValue(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = findSamples(samples, name, labels);
  if (found.length !== 1) {
    throw new Error(`expected one sample ${name}${JSON.stringify(labels)}, found ${found.length}`);
  }
  return found[0]!.value;
}

export function findSamples(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): Sample[] {
  return samples.filter(
    (sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  );
}
