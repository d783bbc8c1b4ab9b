package io.loadchaos.refcluster.etcdcatalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogSpecTest {

  @Test
  void parsesEndpointsAndClusterName() {
    CatalogSpec s = CatalogSpec.parse("etcd://127.0.0.1:2379,127.0.0.1:2380/run-42");
    assertThat(s.endpoints()).containsExactly("http://127.0.0.1:2379", "http://127.0.0.1:2380");
    assertThat(s.prefix()).isEqualTo("/loadchaos/run-42/");
    assertThat(s.describe()).isEqualTo("etcd 127.0.0.1:2379,127.0.0.1:2380");
    assertThat(CatalogSpec.parse(s.flag())).isEqualTo(s);
    assertThat(CatalogSpec.parse("etcd://h:1").cluster()).as("default cluster name").isEqualTo("refcluster");
    assertThat(CatalogSpec.parse("etcd://h:1").hostPorts()).isEqualTo(List.of("h:1"));
  }

  @Test
  void refusesWhatIsNotAnEtcdCatalogAndCredentialsInTheUrl() {
    assertThatThrownBy(() -> CatalogSpec.parse("http://h:1")).hasMessageContaining("expected etcd://host:port");
    assertThatThrownBy(() -> CatalogSpec.parse("etcd://")).hasMessageContaining("no etcd endpoint");
    assertThatThrownBy(() -> CatalogSpec.parse("etcd://hostonly")).hasMessageContaining("'hostonly' is not host:port");
    assertThatThrownBy(() -> CatalogSpec.parse("etcd://h:1/bad name")).hasMessageContaining("cluster name");
    assertThatThrownBy(() -> CatalogSpec.parse("etcd://user:secret@h:1"))
        .hasMessageContaining("no credentials in the URL")
        .hasMessageNotContaining("secret");
  }
}
