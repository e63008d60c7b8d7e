# aksguard in a container: a static binary on distroless (no shell, no
# package manager; CA certificates for Azure and Kubernetes TLS; runs as the
# non-root user 65532).
#
#   docker build -t aksguard --build-arg VERSION=v1.2.3 .
#   docker run --rm -v "$PWD:/src:ro" aksguard scan /src
#
# The binary is built by hack/release.sh --binary: the same go build command
# and flags as every release archive (.goreleaser.yaml; TestReleaseConfigsAgree
# in cmd/aksguard checks it). Without build arguments the version and commit
# come from git when the build context holds the repository's .git folder.
# Multi-platform: docker buildx build --platform linux/amd64,linux/arm64 .

FROM --platform=$BUILDPLATFORM golang:1.26.8 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG TARGETOS=linux
ARG TARGETARCH
ARG VERSION
ARG COMMIT
ARG COMMIT_DATE
RUN GOOS=$TARGETOS GOARCH=$TARGETARCH VERSION=$VERSION COMMIT=$COMMIT COMMIT_DATE=$COMMIT_DATE \
    ./hack/release.sh --binary /out/aksguard

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/aksguard /usr/local/bin/aksguard
USER 65532:65532
WORKDIR /src
ENTRYPOINT ["/usr/local/bin/aksguard"]
CMD ["--help"]
LABEL org.opencontainers.image.title="aksguard" \
      org.opencontainers.image.description="Audit Azure Kubernetes Service clusters against AKS security practice" \
      org.opencontainers.image.source="https://github.com/aksguard/aksguard" \
      org.opencontainers.image.licenses="Apache-2.0"
