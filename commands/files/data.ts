import { type SlashCommandStringOption } from 'discord.js';
import { serverOption, userCommand } from '../../src/user/options.js';
import { MAX_UPLOAD_BYTES } from '../../src/user/transfer.js';

const pathOption = (required: boolean, description: string) => (o: SlashCommandStringOption) =>
  o.setName('path').setDescription(description).setRequired(required).setMaxLength(1024);

/** What /files deploys (one subcommand per file in this folder). */
export const data = userCommand('files', "Your servers' files")
  .addSubcommand((sub) =>
    sub
      .setName('list')
      .setDescription('List a folder')
      .addStringOption(serverOption)
      .addStringOption(pathOption(false, 'Folder to list (default /)')),
  )
  .addSubcommand((sub) =>
    sub
      .setName('read')
      .setDescription('Show a text file (only to you)')
      .addStringOption(serverOption)
      .addStringOption(pathOption(true, 'File to read, e.g. /server.properties')),
  )
  .addSubcommand((sub) =>
    sub
      .setName('write')
      .setDescription('Replace a text file with an attached file, or with text typed in a form')
      .addStringOption(serverOption)
      .addStringOption(pathOption(true, 'File to write, e.g. /config/settings.yml'))
      .addAttachmentOption((o) =>
        o.setName('file').setDescription('Text file whose content to write (else a form opens)'),
      ),
  )
  .addSubcommand((sub) =>
    sub
      .setName('delete')
      .setDescription('Delete a file or folder (asks first)')
      .addStringOption(serverOption)
      .addStringOption(pathOption(true, 'File or folder to delete')),
  )
  .addSubcommand((sub) =>
    sub
      .setName('mkdir')
      .setDescription('Create a folder')
      .addStringOption(serverOption)
      .addStringOption((o) =>
        o.setName('name').setDescription('Name of the new folder').setRequired(true).setMaxLength(255),
      )
      .addStringOption(pathOption(false, 'Parent folder (default /)')),
  )
  .addSubcommand((sub) =>
    sub
      .setName('rename')
      .setDescription('Rename a file or folder')
      .addStringOption(serverOption)
      .addStringOption((o) =>
        o.setName('from').setDescription('Current name').setRequired(true).setMaxLength(255),
      )
      .addStringOption((o) => o.setName('to').setDescription('New name').setRequired(true).setMaxLength(255))
      .addStringOption(pathOption(false, 'Folder holding it (default /)')),
  )
  .addSubcommand((sub) =>
    sub
      .setName('download')
      .setDescription('Get a one-time download link for a file')
      .addStringOption(serverOption)
      .addStringOption(pathOption(true, 'File to download')),
  )
  .addSubcommand((sub) =>
    sub
      .setName('upload')
      .setDescription(
        `Upload an attached file (up to ${MAX_UPLOAD_BYTES / 1024 / 1024} MiB), or get a one-time upload link`,
      )
      .addStringOption(serverOption)
      .addStringOption(pathOption(false, 'Folder to upload into (default /)'))
      .addAttachmentOption((o) => o.setName('file').setDescription('The file to upload')),
  )
  .toJSON();
