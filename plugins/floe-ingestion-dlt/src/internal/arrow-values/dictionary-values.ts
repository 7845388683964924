import { vectorFromArray, type Data } from 'apache-arrow';

/** The single data chunk of a dictionary's values. */
export function dictionaryValues(data: Data): Data {
  const dictionary = data.dictionary;
  if (dictionary === undefined) throw new TypeError('dictionary-encoded column without a dictionary');
  if (dictionary.data.length === 1) return dictionary.data[0] as Data;
  // Several chunks: flatten once (rare; dictionaries are small).
  return vectorFromArray([...dictionary] as never[], dictionary.type).data[0] as Data;
}

/** Reads the dictionary index of value `index` of a dictionary-encoded column. */
export function dictionaryIndexReader(data: Data): (index: number) => number {
  const indices = data.values as unknown as ArrayLike<number | bigint>;
  return (index) => Number(indices[index]);
}
