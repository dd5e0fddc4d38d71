<?xml version="1.0" encoding="UTF-8"?>
<!-- feedpub: how a feed looks when someone opens it in a browser. Feed readers never
     read this; it only turns the feed into a page that says what a feed is, how to
     subscribe, and what is in it. Works for RSS 2.0 and Atom 1.0. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom" exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="UTF-8" indent="yes"
      doctype-system="about:legacy-compat"/>

  <xsl:variable name="self"
      select="(/rss/channel/atom:link[@rel='self']/@href | /atom:feed/atom:link[@rel='self']/@href)[1]"/>
  <xsl:variable name="title" select="(/rss/channel/title | /atom:feed/atom:title)[1]"/>
  <xsl:variable name="home"
      select="(/rss/channel/link | /atom:feed/atom:link[@rel='alternate']/@href)[1]"/>
  <xsl:variable name="about" select="(/rss/channel/description | /atom:feed/atom:subtitle)[1]"/>

  <xsl:template match="/">
    <html lang="en">
      <head>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/> (feed)</title>
        <style>
          :root { color-scheme: light dark; --muted: #5b6470; --line: #d8dde3; }
          @media (prefers-color-scheme: dark) { :root { --muted: #a3acb8; --line: #39414b; } }
          body { font: 1.05rem/1.55 system-ui, sans-serif; max-width: 42rem; margin: 2rem auto; padding: 0 1rem; }
          header { border-bottom: 1px solid var(--line); margin-bottom: 1.5rem; }
          .note { border: 1px solid var(--line); border-radius: .5rem; padding: .75rem 1rem; }
          code { word-break: break-all; }
          li { margin-bottom: 1.25rem; }
          time, .muted { color: var(--muted); font-size: .9em; }
        </style>
      </head>
      <body>
        <header>
          <p class="note"><strong>This is a web feed</strong>, also known as an RSS or
            Atom feed. Copy its address into a feed reader to get every new post as it
            comes: <code><xsl:value-of select="$self"/></code>. Visit
            <a href="https://aboutfeeds.com/">About Feeds</a> to learn more.</p>
          <h1><xsl:value-of select="$title"/></h1>
          <p><xsl:value-of select="$about"/></p>
          <p><a href="{$home}">Visit the site</a></p>
        </header>
        <main>
          <h2>Recent items</h2>
          <ol>
            <xsl:apply-templates select="/rss/channel/item | /atom:feed/atom:entry"/>
          </ol>
        </main>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="item">
    <li>
      <h3><a href="{link}"><xsl:value-of select="title"/></a></h3>
      <time><xsl:value-of select="pubDate"/></time>
      <!-- (RSS carries its plain-text summary escaped once more, as HTML) -->
      <p><xsl:value-of select="description" disable-output-escaping="yes"/></p>
    </li>
  </xsl:template>

  <xsl:template match="atom:entry">
    <li>
      <h3><a href="{(atom:link[@rel='alternate'] | atom:link[not(@rel)])[1]/@href}">
        <xsl:value-of select="atom:title"/></a></h3>
      <time><xsl:value-of select="substring(atom:published | atom:updated, 1, 10)"/></time>
      <p><xsl:value-of select="atom:summary"/></p>
    </li>
  </xsl:template>
</xsl:stylesheet>
