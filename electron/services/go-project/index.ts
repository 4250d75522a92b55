export { GoProjects, type GoProjectsDeps } from './go-projects'
export { createGitRunner, gitState, runGit, type GitRunner } from './git'
export { nodeProjectFs, type DirEntry, type FsPath, type ProjectFs } from './project-fs'
