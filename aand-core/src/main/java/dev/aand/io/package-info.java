/**
 * Safe file output: folders that appear whole or not at all ({@link dev.aand.io.OutputDir}), one
 * writer per folder, single files replaced atomically ({@link dev.aand.io.AtomicFile}), digests
 * ({@link dev.aand.io.Sha256}) and collision-free names ({@link dev.aand.io.UniqueNames}).
 * Nothing here deletes what aand did not create.
 */
package dev.aand.io;
