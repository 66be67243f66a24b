package dev.aand.api;

import ai.djl.repository.zoo.ModelLoader;
import ai.djl.repository.zoo.ModelZoo;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/** A one-model zoo: the model directory a criteria was built for. Never contacts a repository. */
final class AandModelZoo extends ModelZoo {
    private final AandModelLoader loader;

    AandModelZoo(Path dir) {
        this.loader = new AandModelLoader(dir);
    }

    @Override
    public String getGroupId() {
        return Aand.GROUP_ID;
    }

    @Override
    public Set<String> getSupportedEngines() {
        return Set.of("PyTorch");
    }

    @Override
    public Collection<ModelLoader> getModelLoaders() {
        return List.of(loader);
    }

    @Override
    public ModelLoader getModelLoader(String name) {
        return loader.getArtifactId().equals(name) ? loader : null;
    }
}
