import { defineCommand } from '../../src/commands/types.js';
import { autocompleteUserOption } from '../../src/user/options.js';
import { fileDeletion } from '../../src/user/file-delete.js';
import { data } from './data.js';
import { list } from './list.js';
import { read } from './read.js';
import { WRITE_MODAL, write, writeFromModal } from './write.js';
import { remove } from './delete.js';
import { mkdir } from './mkdir.js';
import { rename } from './rename.js';
import { download } from './download.js';
import { upload } from './upload.js';

export default defineCommand({
  data,
  subcommands: {
    list: { tier: 'user', run: list },
    read: { tier: 'user', run: read },
    write: { tier: 'user', run: write },
    delete: { tier: 'user', run: remove },
    mkdir: { tier: 'user', run: mkdir },
    rename: { tier: 'user', run: rename },
    download: { tier: 'user', run: download },
    upload: { tier: 'user', run: upload },
  },
  autocomplete: autocompleteUserOption,
  components: [
    { name: WRITE_MODAL, commandPath: 'files write', modal: writeFromModal },
    fileDeletion.component,
  ],
});
