package io.herald.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * docs/ARCHITECTURE.md's "The layers" table against the poms: the modules it lists are the
 * reactor's, and its "depends on" column names exactly the Herald modules each pom declares. A
 * dependency added or dropped in a pom without the table (or the other way round) fails here, so
 * the page cannot drift from the build again.
 */
class ModuleLayersTest {
  private static final Path ROOT = root();
  // A module named in the "depends on" column, with or without its herald- prefix ("core",
  // "herald-app's test jar").
  private static final Pattern MODULE =
      Pattern.compile(
          "\\b(?:herald-)?(core|protocol|config|cli|stores|transport|server|testkit|app|bench)\\b");

  @Test
  void theTableListsTheReactorsModules() throws Exception {
    assertThat(documented().keySet()).isEqualTo(new TreeSet<>(reactorModules()));
  }

  @Test
  void theTableNamesEachModulesHeraldDependencies() throws Exception {
    Map<String, Set<String>> declared = new TreeMap<>();
    for (String module : reactorModules())
      declared.put(module, heraldDependencies(ROOT.resolve(module).resolve("pom.xml")));
    assertThat(documented()).isEqualTo(declared);
  }

  /**
   * Module to the Herald modules its row's last column names, from the table under "## The layers".
   */
  static Map<String, Set<String>> documented() throws IOException {
    String doc = Files.readString(ROOT.resolve("docs/ARCHITECTURE.md"));
    int start = doc.indexOf("## The layers");
    int end = doc.indexOf("\n## ", start + 1);
    Map<String, Set<String>> rows = new TreeMap<>();
    for (String line : doc.substring(start, end < 0 ? doc.length() : end).split("\n")) {
      if (!line.startsWith("| `herald-")) continue;
      String[] cells = line.split("\\|");
      String module = cells[1].trim().replace("`", "");
      Set<String> deps = new TreeSet<>();
      Matcher m = MODULE.matcher(cells[cells.length - 1]);
      while (m.find()) deps.add("herald-" + m.group(1));
      rows.put(module, deps);
    }
    return rows;
  }

  static List<String> reactorModules() throws Exception {
    Element project = parse(ROOT.resolve("pom.xml"));
    List<String> modules = new ArrayList<>();
    for (Element list : children(project, "modules"))
      for (Element m : children(list, "module")) modules.add(m.getTextContent().trim());
    return modules;
  }

  /**
   * The io.herald artifacts in the pom's own dependencies (test scope excluded: the layers are
   * about main code).
   */
  static Set<String> heraldDependencies(Path pom) throws Exception {
    Set<String> deps = new TreeSet<>();
    for (Element list : children(parse(pom), "dependencies")) {
      for (Element dep : children(list, "dependency")) {
        if (!text(dep, "groupId").equals("io.herald") || text(dep, "scope").equals("test"))
          continue;
        deps.add(text(dep, "artifactId"));
      }
    }
    return deps;
  }

  private static Element parse(Path pom) throws Exception {
    return DocumentBuilderFactory.newInstance()
        .newDocumentBuilder()
        .parse(pom.toFile())
        .getDocumentElement();
  }

  // Direct children only: a plugin's or an exclusion's groupId must not count as the project's.
  private static List<Element> children(Element parent, String name) {
    List<Element> found = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) found.add(e);
    }
    return found;
  }

  private static String text(Element parent, String name) {
    List<Element> found = children(parent, name);
    return found.isEmpty() ? "" : found.getFirst().getTextContent().trim();
  }

  // Surefire runs in the module's folder; the repository root is the nearest folder above with the
  // docs.
  private static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("docs/ARCHITECTURE.md"))) dir = dir.getParent();
    if (dir == null)
      throw new IllegalStateException(
          "no docs/ARCHITECTURE.md above " + Path.of("").toAbsolutePath());
    return dir;
  }
}
