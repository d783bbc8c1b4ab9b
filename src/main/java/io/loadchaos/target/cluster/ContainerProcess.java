package io.loadchaos.target.cluster;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse.ContainerState;
import com.github.dockerjava.api.exception.NotFoundException;
import io.loadchaos.chaos.NodeProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One run of a container as {@code docker inspect} shows it: its id with the {@code StartedAt} and
 * host pid of that start. A restart gives a new start time, so the captured run is then gone too.
 */
public final class ContainerProcess implements NodeProcess {
  private final DockerClient docker;
  private final String containerId;
  private final String startedAt;
  private final Long pid;

  private ContainerProcess(DockerClient docker, String containerId, String startedAt, Long pid) {
    this.docker = docker;
    this.containerId = containerId;
    this.startedAt = startedAt;
    this.pid = pid;
  }

  /** The container's current run; throws when it is not running. */
  public static ContainerProcess of(DockerClient docker, String containerId) {
    ContainerState s = docker.inspectContainerCmd(containerId).exec().getState();
    if (!Boolean.TRUE.equals(s.getRunning())) {
      throw new IllegalStateException("container " + short12(containerId) + " is not running (" + s.getStatus() + ")");
    }
    return new ContainerProcess(docker, containerId, s.getStartedAt(), s.getPidLong());
  }

  /**
   * The container's main process as this host sees it (its children are found from it); empty
   * when that pid here is not the container's (the harness in another pid namespace than Docker):
   * its /proc/<pid>/cgroup must name the container.
   */
  @Override
  public List<Long> hostPids() {
    if (pid == null || pid <= 0) return List.of();
    try {
      return Files.readString(Path.of("/proc", Long.toString(pid), "cgroup")).contains(containerId) ? List.of(pid) : List.of();
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  @Override
  public String describe() {
    return "container " + short12(containerId) + " started " + startedAt + " (pid " + pid + ")";
  }

  @Override
  public State observe() {
    ContainerState s;
    try {
      s = docker.inspectContainerCmd(containerId).exec().getState();
    } catch (NotFoundException e) {
      return new State(true, false, "container " + short12(containerId) + " no longer exists");
    }
    boolean running = Boolean.TRUE.equals(s.getRunning());
    boolean sameRun = startedAt != null && startedAt.equals(s.getStartedAt());
    boolean paused = Boolean.TRUE.equals(s.getPaused());
    String evidence = "docker inspect: Status=" + s.getStatus() + ", Running=" + running + ", Paused=" + paused
        + ", StartedAt=" + s.getStartedAt();
    return new State(!running || !sameRun, running && sameRun && paused, evidence);
  }

  private static String short12(String id) {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }
}
