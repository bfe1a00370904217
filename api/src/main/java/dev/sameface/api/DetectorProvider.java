package dev.sameface.api;

/** Service interface for {@link Detector} plugins: list an implementation in {@code META-INF/services/dev.sameface.api.DetectorProvider}. */
public interface DetectorProvider extends StageProvider<Detector> {
}
