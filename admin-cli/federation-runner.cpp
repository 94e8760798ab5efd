// FederationRunner (federation-runner.h). (Being written.)
