import { SinkConfig } from '@floe/core';
import { describeSinkConnector } from '../src/index.js';
import { MemoryConnector, type MemoryStore } from './memory-connector.js';

// The reusable suite applied to a small in-memory sink: what a third party would write.
describeSinkConnector(
  async () => {
    const store: MemoryStore = new Map();
    return {
      connector: new MemoryConnector(store),
      config: new SinkConfig({ sinkType: 'memory', name: 'contacts' }),
      readBack: async () => store.get('contacts') ?? [],
      cleanup: async () => store.clear(),
    };
  },
  { recordIds: true, fieldMapping: true, emptyInput: true },
  { title: 'SinkConnector contract (memory sink)' },
);
