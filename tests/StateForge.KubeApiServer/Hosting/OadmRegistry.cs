namespace StateForge.KubeApiServer.Hosting;

/// <summary>What `oadm registry` created in an OpenShift 3 cluster: the registry DeploymentConfig and its Service.</summary>
internal static class OadmRegistry
{
    public const string Yaml = """
        apiVersion: apps.openshift.io/v1
        kind: DeploymentConfig
        metadata:
          name: docker-registry
          namespace: default
          labels:
            docker-registry: default
        spec:
          replicas: 1
          selector:
            docker-registry: default
          strategy:
            type: Rolling
          triggers:
          - type: ConfigChange
          template:
            metadata:
              labels:
                docker-registry: default
            spec:
              serviceAccountName: registry
              containers:
              - name: registry
                image: openshift/origin-docker-registry:v3.11
                ports:
                - containerPort: 5000
                  protocol: TCP
                env:
                - name: REGISTRY_HTTP_ADDR
                  value: ":5000"
                - name: REGISTRY_HTTP_NET
                  value: tcp
                - name: REGISTRY_HTTP_SECRET
                  value: c2VjcmV0
                volumeMounts:
                - name: registry-storage
                  mountPath: /registry
                livenessProbe:
                  httpGet:
                    path: /healthz
                    port: 5000
                  initialDelaySeconds: 10
                  timeoutSeconds: 5
                readinessProbe:
                  httpGet:
                    path: /healthz
                    port: 5000
                  timeoutSeconds: 5
                resources:
                  requests:
                    cpu: 100m
                    memory: 256Mi
                securityContext:
                  privileged: false
              volumes:
              - name: registry-storage
                emptyDir: {}
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: docker-registry
          namespace: default
          labels:
            docker-registry: default
        spec:
          selector:
            docker-registry: default
          ports:
          - name: 5000-tcp
            port: 5000
            protocol: TCP
            targetPort: 5000
          sessionAffinity: ClientIP
          type: ClusterIP
        """;
}
