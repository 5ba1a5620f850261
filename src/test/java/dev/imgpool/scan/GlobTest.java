package dev.imgpool.scan;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Tests for {@link Glob}. */
class GlobTest {
  @Test
  void doubleStarSlash_matchesZeroOrMoreFolders() {
    Glob glob = Glob.compile("**/*.jpg");
    assertTrue(glob.matches("a.jpg"));
    assertTrue(glob.matches("x/a.jpg"));
    assertTrue(glob.matches("x/y/z/a.jpg"));
    assertFalse(glob.matches("a.png"));
  }

  @Test
  void singleStar_staysInOneFolder() {
    Glob glob = Glob.compile("*.jpg");
    assertTrue(glob.matches("a.jpg"));
    assertFalse(glob.matches("x/a.jpg"));
  }

  @Test
  void trailingDoubleStar_matchesEverythingBelow() {
    Glob glob = Glob.compile("raw/**");
    assertTrue(glob.matches("raw/a.jpg"));
    assertTrue(glob.matches("raw/x/y.jpg"));
    assertFalse(glob.matches("rawer/a.jpg"));
    assertTrue(glob.matchesEverythingBelow("raw"));
    assertFalse(Glob.compile("raw/*.jpg").matchesEverythingBelow("raw"));
  }

  @Test
  void middleDoubleStar_matchesZeroFolders() {
    Glob glob = Glob.compile("a/**/b.jpg");
    assertTrue(glob.matches("a/b.jpg"));
    assertTrue(glob.matches("a/x/y/b.jpg"));
  }

  @Test
  void classesAndAlternatives() {
    assertTrue(Glob.compile("img[0-9].{jpg,png}").matches("img5.png"));
    assertFalse(Glob.compile("img[0-9].{jpg,png}").matches("imgx.png"));
    assertTrue(Glob.compile("img[!0-9].jpg").matches("imgx.jpg"));
    assertTrue(Glob.compile("a?c.jpg").matches("abc.jpg"));
    assertFalse(Glob.compile("a?c.jpg").matches("a/c.jpg"));
  }

  @Test
  void specialCharacters_areLiteral() {
    assertTrue(Glob.compile("a+b (1).jpg").matches("a+b (1).jpg"));
    assertFalse(Glob.compile("a.jpg").matches("abjpg"));
  }

  @Test
  void malformed_isRejectedWithMessage() {
    assertThrows(IllegalArgumentException.class, () -> Glob.compile("a[b"));
    assertThrows(IllegalArgumentException.class, () -> Glob.compile("{a,b"));
    assertThrows(IllegalArgumentException.class, () -> Glob.compile(""));
  }
}
