/**
 * A service's file system as the fake backend holds it: absolute,
 * `/`-separated paths; every directory (and its ancestors) is recorded
 * explicitly so empty folders exist too.
 */
export interface FileEntry {
  name: string;
  size: number;
  is_file: boolean;
  mode: string;
  modified_at: string;
}

/** Collapses `//` and `.`; callers have already refused `..`. */
export function cleanPath(path: string): string {
  const segments = path.split('/').filter((s) => s !== '' && s !== '.');
  return `/${segments.join('/')}`;
}

export function joinPath(root: string, name: string): string {
  return cleanPath(`${root}/${name}`);
}

function parentOf(path: string): string {
  const cut = path.lastIndexOf('/');
  return cut <= 0 ? '/' : path.slice(0, cut);
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export class FileTree {
  /** File contents by absolute path. */
  readonly files = new Map<string, Buffer>();
  readonly folders = new Set<string>(['/']);
  readonly #modified = new Map<string, Date>();

  constructor(initial: Record<string, string | Buffer> = {}) {
    for (const [path, content] of Object.entries(initial)) this.write(path, content);
  }

  isFile(path: string): boolean {
    return this.files.has(cleanPath(path));
  }

  isDir(path: string): boolean {
    return this.folders.has(cleanPath(path));
  }

  exists(path: string): boolean {
    return this.isFile(path) || this.isDir(path);
  }

  /** UTF-8 text of a file, for test assertions. */
  read(path: string): string | undefined {
    return this.files.get(cleanPath(path))?.toString('utf8');
  }

  #addFolders(path: string): void {
    for (let dir = path; !this.folders.has(dir); dir = parentOf(dir)) {
      this.folders.add(dir);
      this.#modified.set(dir, new Date());
    }
  }

  /** Writes a file, creating missing parent folders. Returns false when `path` is a folder. */
  write(path: string, content: string | Buffer): boolean {
    const clean = cleanPath(path);
    if (this.folders.has(clean)) return false;
    this.#addFolders(parentOf(clean));
    this.files.set(clean, Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'));
    this.#modified.set(clean, new Date());
    return true;
  }

  mkdir(path: string): boolean {
    const clean = cleanPath(path);
    if (this.exists(clean)) return false;
    this.#addFolders(clean);
    return true;
  }

  list(dir: string): FileEntry[] {
    const clean = cleanPath(dir);
    const prefix = clean === '/' ? '/' : `${clean}/`;
    const isChild = (p: string): boolean =>
      p !== clean && p.startsWith(prefix) && !p.slice(prefix.length).includes('/');
    const at = (p: string): string => (this.#modified.get(p) ?? new Date(0)).toISOString();
    const folders = [...this.folders].filter(isChild).map((p) => ({
      name: baseName(p),
      size: 4096,
      is_file: false,
      mode: 'rwxr-xr-x',
      modified_at: at(p),
    }));
    const files = [...this.files]
      .filter(([p]) => isChild(p))
      .map(([p, content]) => ({
        name: baseName(p),
        size: content.length,
        is_file: true,
        mode: 'rw-r--r--',
        modified_at: at(p),
      }));
    const byName = (a: FileEntry, b: FileEntry): number => a.name.localeCompare(b.name);
    return [...folders.sort(byName), ...files.sort(byName)];
  }

  /** Removes a file or a folder with everything below it. */
  remove(path: string): boolean {
    const clean = cleanPath(path);
    if (clean === '/') return false;
    if (this.files.delete(clean)) return true;
    if (!this.folders.has(clean)) return false;
    const below = (p: string): boolean => p === clean || p.startsWith(`${clean}/`);
    for (const p of [...this.files.keys()]) if (below(p)) this.files.delete(p);
    for (const p of [...this.folders]) if (below(p)) this.folders.delete(p);
    return true;
  }

  /** Moves a file or folder; refuses when the target exists or the source does not. */
  rename(from: string, to: string): 'ok' | 'missing' | 'exists' {
    const src = cleanPath(from);
    const dst = cleanPath(to);
    if (!this.exists(src) || src === '/') return 'missing';
    if (this.exists(dst) || dst.startsWith(`${src}/`)) return 'exists';
    const moved = (p: string): string | undefined =>
      p === src ? dst : p.startsWith(`${src}/`) ? dst + p.slice(src.length) : undefined;
    this.#addFolders(parentOf(dst));
    for (const [p, content] of [...this.files]) {
      const target = moved(p);
      if (target === undefined) continue;
      this.files.delete(p);
      this.files.set(target, content);
    }
    for (const p of [...this.folders]) {
      const target = moved(p);
      if (target === undefined) continue;
      this.folders.delete(p);
      this.folders.add(target);
    }
    return 'ok';
  }
}
