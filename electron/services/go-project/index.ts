export { GoProjects, type GoProjectsDeps } from './go-projects'
export { createGitRunner, findRepo, gitState, runGit, type GitRepo, type GitRunner } from './git'
export { nodeProjectFs, type DirEntry, type FsPath, type ProjectFs } from './project-fs'
